"""PTB's network layer on aiohttp instead of httpx, for the Bot API calls the bot makes.

Measured by ``python -m benchmarks webhook``: with PTB's default
``HTTPXRequest`` about 70 % of the CPU spent on an update went into httpx,
httpcore, anyio and h11 for the one to three Bot API calls it makes; the same
calls on aiohttp, which the server already runs on, cost about a third of that.
PTB documents ``BaseRequest`` as the place to plug in another HTTP client; it
still parses the answers, maps 403/429/... to its errors and applies the rate
limiter, so only the transport changes here.

Exceptions never carry the URL (it holds the bot token), only the error type.
A call with a file (``sendVoice`` uploading a recording) goes as ``multipart/form-data``,
the other parameters as fields beside it, as PTB's own ``HTTPXRequest`` sends it; a
call the bot rendered itself (``send.RenderedCall``) goes as its JSON body; any other
as a form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.channels.telegram.send import RenderedCall

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
"""PTB's own defaults for ``HTTPXRequest``, kept so behaviour under a slow API is unchanged."""
POOL_SIZE = 256
"""PTB's default connection pool size for an ``Application``'s bot."""
_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """One ``aiohttp.ClientSession`` per bot, opened by ``initialize``, closed by ``shutdown``.

    aiohttp has no write timeout: a request body here is a few kilobytes of form data,
    or a recording of the content tree (at most ``bot.content.audio.MAX_BYTES``).
    """

    def __init__(self, pool_size: int = POOL_SIZE) -> None:
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API call; PTB turns the status and body into a result or an error."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = _timeout(read_timeout, connect_timeout, pool_timeout)
        data: bytes | dict[str, str] | aiohttp.FormData | None = None
        headers = None
        if isinstance(request_data, RenderedCall):  # its JSON is written: posted as it is
            data, headers = request_data.json_payload, _JSON
        elif request_data is not None:
            data = request_data.json_parameters
            if request_data.contains_files:
                data = _multipart(request_data)
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from None
        except aiohttp.ClientError as error:
            # str(error) can quote the URL, which carries the token: the type is enough,
            # and the cause is not chained so no traceback in a log can show it either.
            raise NetworkError(f"aiohttp.{type(error).__name__}") from None


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """The parameters as form fields and each file as a part with its name and type."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, *kind = part
        body = content if isinstance(content, bytes) else content.read()
        form.add_field(name, body, filename=filename,
                       content_type=kind[0] if kind else "application/octet-stream")
    return form


def _timeout(
    read: ODVInput[float], connect: ODVInput[float], pool: ODVInput[float]
) -> aiohttp.ClientTimeout:
    """PTB's per-call timeouts in aiohttp's terms (``None`` still means no limit)."""
    read_s = _value(read, READ_TIMEOUT)
    connect_s = _value(connect, CONNECT_TIMEOUT)
    pool_s = _value(pool, POOL_TIMEOUT)
    waiting = None if connect_s is None or pool_s is None else connect_s + pool_s
    return aiohttp.ClientTimeout(
        total=None, connect=waiting, sock_connect=connect_s, sock_read=read_s
    )


_DefaultValue = type(BaseRequest.DEFAULT_NONE)
"""PTB's marker for "not given" (its class lives in a private module)."""


def _value(given: ODVInput[float], default: float) -> float | None:
    return default if isinstance(given, _DefaultValue) else given  # type: ignore[return-value]
