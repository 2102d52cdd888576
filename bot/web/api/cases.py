"""GET /api/v1/cases, GET /api/v1/cases/{id}, POST /api/v1/cases/{id}/reply.

Only a caseworker reaches them (403 for any other role); a case of another
organisation, or one erased, is 404; a reply to a closed case is 409; a reply
over the limit is 400 with the limit. Cases are off without ``CONTACT_KEY``
(503). Responses are the pydantic models of ``case_schemas``.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bot.web.api.auth import problem
from bot.web.api.case_schemas import (
    CaseList,
    ReplyAccepted,
    ReplyIn,
    StateIn,
    case_detail,
    case_summary,
)
from bot.web.cases.desk import CaseDesk, CaseWithdrawn, ReplyTooLong
from bot.web.cases.wiring import DESK
from bot.web.portal.context import ACCOUNT
from bot.web.portal.scope import require
from casework import CaseClosed, CaseNotFound, CasesUnavailable, InvalidTransition
from recruiter_reports.stakeholders import Permission

__all__ = ["case", "case_reply", "case_state", "cases"]

OFF = "cases are off on this server (no CONTACT_KEY)"
DOWN = "the case store is not answering; nothing was changed, try again in a minute"


def _json(model: BaseModel, status: int = 200) -> web.Response:
    return web.json_response(text=model.model_dump_json(), status=status)


def _desk(request: web.Request) -> CaseDesk | None:
    require(request[ACCOUNT], Permission.CASES)  # 403 first, whatever the server runs
    return request.config_dict.get(DESK)


def _invalid(error: ValidationError) -> web.Response:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return problem(400, f"{where}: {first['msg']}")


async def cases(request: web.Request) -> web.Response:
    desk = _desk(request)
    if desk is None:
        return problem(503, OFF)
    account = request[ACCOUNT]
    try:
        found = await desk.listing(account, "api")
    except CasesUnavailable:
        return problem(503, DOWN)
    assert account.partner is not None
    return _json(CaseList(partner=account.partner, cases=[case_summary(c) for c in found]))


async def case(request: web.Request) -> web.Response:
    desk = _desk(request)
    if desk is None:
        return problem(503, OFF)
    try:
        found, messages, notes = await desk.open(
            request[ACCOUNT], request.match_info["case_id"], "api")
    except CaseNotFound:
        return problem(404, "no such case")
    except CasesUnavailable:
        return problem(503, DOWN)
    return _json(case_detail(found, messages, notes))


async def case_reply(request: web.Request) -> web.Response:
    desk = _desk(request)
    if desk is None:
        return problem(503, OFF)
    try:
        body = ReplyIn.model_validate_json(await request.read())
    except ValidationError as error:
        return _invalid(error)
    case_id = request.match_info["case_id"]
    try:
        message = await desk.reply(request[ACCOUNT], case_id, body.text, "api")
    except CaseNotFound:
        return problem(404, "no such case")
    except ReplyTooLong as error:
        return problem(400, str(error))
    except CaseWithdrawn:
        return problem(409, "the person withdrew and their case was erased: no reply can "
                            "reach them")
    except CaseClosed:
        return problem(409, "the case is closed; the person can open a new one with /talk")
    except CasesUnavailable:
        return problem(503, DOWN)
    return _json(ReplyAccepted(id=message.id, case=case_id, queued=True), status=202)


async def case_state(request: web.Request) -> web.Response:
    desk = _desk(request)
    if desk is None:
        return problem(503, OFF)
    try:
        body = StateIn.model_validate_json(await request.read())
    except ValidationError as error:
        return _invalid(error)
    try:
        changed = await desk.set_state(request[ACCOUNT], request.match_info["case_id"],
                                       body.state, "api")
    except CaseNotFound:
        return problem(404, "no such case")
    except InvalidTransition as error:
        return problem(400, str(error))
    except CasesUnavailable:
        return problem(503, DOWN)
    return _json(case_summary(changed))
