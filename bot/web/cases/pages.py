"""/portal/cases: a caseworker's list, one case (read, reply, note, move on), a voice message.

Only a caseworker sees these pages (403 for every other role, the case of
another organisation is 404). Forms carry the session's CSRF token (checked
by the portal's ``require_csrf``); after a post the browser is sent back to
the case (303), so reloading never posts twice. The desk writes the audit log.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.cases.desk import REPLY_MAX, CaseDesk, CaseWithdrawn, ReplyTooLong
from bot.web.cases.wiring import DESK
from bot.web.portal.context import ACCOUNT, AUDITED
from bot.web.portal.render import html
from bot.web.portal.scope import Refused, require
from casework import CaseClosed, CaseNotFound, CaseState, CasesUnavailable, InvalidTransition
from recruiter_reports.stakeholders import Permission

__all__ = ["add_routes"]


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/cases", case_list)
    router.add_get("/cases/{case_id}", case_page)
    router.add_post("/cases/{case_id}/reply", reply)
    router.add_post("/cases/{case_id}/note", note)
    router.add_post("/cases/{case_id}/state", state)
    router.add_get("/cases/{case_id}/audio/{message_id}", audio)


def _desk(request: web.Request) -> CaseDesk:
    try:
        require(request[ACCOUNT], Permission.CASES)  # a refusal first, whatever the server runs
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    desk = request.config_dict.get(DESK)
    if desk is None:
        raise web.HTTPServiceUnavailable(text="Cases are off on this server (no CONTACT_KEY).")
    request[AUDITED] = True  # the desk writes its own, more precise entries
    return desk


async def case_list(request: web.Request) -> web.Response:
    desk = _desk(request)
    try:
        found = await desk.listing(request[ACCOUNT], "portal")
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    except CasesUnavailable:
        raise web.HTTPServiceUnavailable(text="The case store is not answering; retry.") from None
    return html(request, "cases.html", cases=found, current="cases")


async def case_page(request: web.Request, *, problem: str = "", status: int = 200,
                    draft: str = "") -> web.Response:
    desk = _desk(request)
    try:
        case, messages, notes = await desk.open(
            request[ACCOUNT], request.match_info["case_id"], "portal")
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    except CaseNotFound:
        raise web.HTTPNotFound(text="No such case.") from None
    except CasesUnavailable:
        raise web.HTTPServiceUnavailable(text="The case store is not answering; retry.") from None
    return html(request, "case.html", status=status, case=case, messages=messages, notes=notes,
                problem=problem, draft=draft, reply_max=REPLY_MAX, current="cases",
                done=request.query.get("done", ""))  # fmt: skip


async def _act(request: web.Request, action: str) -> web.Response:
    desk = _desk(request)
    account = request[ACCOUNT]
    case_id = request.match_info["case_id"]
    form = await request.post()
    text = str(form.get("text", ""))
    try:
        if action == "reply":
            await desk.reply(account, case_id, text, "portal")
        elif action == "note":
            await desk.add_note(account, case_id, text, "portal")
        else:
            await desk.set_state(account, case_id, CaseState(str(form.get("state", ""))),
                                 "portal")
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    except CaseNotFound:
        raise web.HTTPNotFound(text="No such case.") from None
    except (ReplyTooLong, InvalidTransition, ValueError) as error:
        return await case_page(request, problem=str(error), status=400, draft=text)
    except CaseWithdrawn:
        return await case_page(request, status=409, draft=text,
                               problem="The person withdrew and their case was erased: the "
                                       "reply was not sent, and none can reach them.")
    except CaseClosed:
        return await case_page(request, status=409, draft=text,
                               problem="The case is closed: the reply was not sent.")
    except CasesUnavailable:
        return await case_page(request, status=503, draft=text,
                               problem="The case store is not answering: nothing was saved.")
    raise web.HTTPSeeOther(f"/portal/cases/{case_id}?done={action}")


async def reply(request: web.Request) -> web.Response:
    return await _act(request, "reply")


async def note(request: web.Request) -> web.Response:
    return await _act(request, "note")


async def state(request: web.Request) -> web.Response:
    return await _act(request, "state")


async def audio(request: web.Request) -> web.Response:
    desk = _desk(request)
    try:
        body, media_type = await desk.audio(
            request[ACCOUNT], request.match_info["case_id"], request.match_info["message_id"])
    except Refused as error:
        raise web.HTTPForbidden(text=str(error)) from None
    except CaseNotFound:
        raise web.HTTPNotFound(text="No such recording.") from None
    return web.Response(body=body, content_type=media_type,
                        headers={"Cache-Control": "no-store, private"})
