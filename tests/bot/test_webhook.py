"""The Telegram bot end to end: real Update JSON posted to the webhook, and a local HTTP
stand-in for the Bot API (a threaded server the bot's base URL points to) that records every
call and checks it against the fields the Bot API documents."""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote

import pytest
from PIL import Image

from geoportal.reports.models import Report, Status

pytestmark = pytest.mark.django_db
TOKEN = "123456:TEST-token"
SECRET = "s3cret-Token_1"
URL = "/bot/telegram/webhook"

# https://core.telegram.org/bots/api: the parameters each method takes (required first).
DOCUMENTED = {
    "getMe": (set(), set()),
    "sendMessage": ({"chat_id", "text"}, {"business_connection_id", "message_thread_id",
                    "direct_messages_topic_id", "parse_mode", "entities", "link_preview_options",
                    "disable_notification", "protect_content", "allow_paid_broadcast",
                    "message_effect_id", "suggested_post_parameters", "reply_parameters",
                    "reply_markup"}),
    "answerCallbackQuery": ({"callback_query_id"}, {"text", "show_alert", "url", "cache_time"}),
    "getFile": ({"file_id"}, set()),
}  # fmt: skip


def _photo_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buf, "JPEG")
    return buf.getvalue()


class BotApi:
    """What the stand-in received: (method, params) in order, and what broke the docs."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.violations: list[str] = []
        self.photo = _photo_bytes()
        self.downloads = 0

    def of(self, method):
        return [p for m, p in self.calls if m == method]

    def check(self, method: str, params: dict) -> None:
        if method not in DOCUMENTED:
            self.violations.append(f"undocumented method {method}")
            return
        required, optional = DOCUMENTED[method]
        for name in required - set(params):
            self.violations.append(f"{method}: missing {name}")
        for name in set(params) - required - optional:
            self.violations.append(f"{method}: unknown parameter {name}")
        if method == "sendMessage":
            if not 1 <= len(str(params.get("text", ""))) <= 4096:
                self.violations.append("sendMessage: text must be 1-4096 characters")
            markup = params.get("reply_markup")
            if markup is not None:
                self._check_keyboard(markup)

    def _check_keyboard(self, markup) -> None:
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            self.violations.append("reply_markup: inline_keyboard must be an array of arrays")
            return
        for button in (b for r in rows for b in r):
            if not button.get("text"):
                self.violations.append("InlineKeyboardButton without text")
            data = button.get("callback_data")
            if data is None or not 1 <= len(data.encode()) <= 64:
                self.violations.append(f"callback_data must be 1-64 bytes: {data!r}")


def _params(handler) -> dict:
    raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode()
    ctype = handler.headers.get("Content-Type", "")
    if "json" in ctype:
        return json.loads(raw or "{}")
    params = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _result(api: BotApi, method: str, params: dict):
    if method == "getMe":
        return {"id": 1, "is_bot": True, "first_name": "Громада", "username": "hromada_bot"}
    if method == "sendMessage":
        return {"message_id": len(api.calls), "date": int(time.time()), "text": params["text"],
                "chat": {"id": int(params["chat_id"]), "type": "private"}}  # fmt: skip
    if method == "getFile":
        return {"file_id": params["file_id"], "file_unique_id": "u-" + params["file_id"],
                "file_size": len(api.photo), "file_path": "photos/file_0.jpg"}  # fmt: skip
    return True


def _handler(api: BotApi):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _reply(self, status, body: bytes, ctype="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if unquote(self.path) == f"/file/bot{TOKEN}/photos/file_0.jpg":  # PTB quotes ":"
                api.downloads += 1
                return self._reply(200, api.photo, "image/jpeg")
            api.violations.append(f"GET of an unknown file: {self.path}")
            return self._reply(404, b"{}")

        def do_POST(self):
            prefix = f"/bot{TOKEN}/"
            if not self.path.startswith(prefix):
                body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
                return self._reply(401, json.dumps(body).encode())
            method, params = self.path[len(prefix) :], _params(self)
            api.calls.append((method, params))
            api.check(method, params)
            body = {"ok": True, "result": _result(api, method, params)}
            return self._reply(200, json.dumps(body, ensure_ascii=False).encode())

    return Handler


@pytest.fixture(scope="module")
def bot_api():
    api = BotApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_port}"
    yield api
    server.shutdown()
    server.server_close()


@pytest.fixture
def bot(bot_api, settings, registry, fresh_buckets):
    settings.GEOPORTAL_TELEGRAM_TOKEN = TOKEN
    settings.GEOPORTAL_TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.GEOPORTAL_TELEGRAM_API_URL = bot_api.url
    bot_api.calls.clear()
    bot_api.violations.clear()
    return bot_api


class Resident:
    """A Telegram user in a private chat: builds the Update JSON Telegram would send."""

    def __init__(self, client, chat_id=555001, lang="uk"):
        self.client, self.chat_id, self.lang = client, chat_id, lang
        self.update_id = 900000 + chat_id % 1000 * 100
        self.taps = 0

    def _user(self):
        return {"id": self.chat_id, "is_bot": False, "first_name": "Оксана",
                "language_code": self.lang}  # fmt: skip

    def _post(self, update, secret=SECRET):
        self.update_id += 1
        update = {"update_id": self.update_id, **update}
        headers = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": secret} if secret else {}
        return self.client.post(URL, json.dumps(update), content_type="application/json",
                                **headers)  # fmt: skip

    def _message(self, **content):
        return {"message": {"message_id": self.update_id, "date": int(time.time()),
                            "from": self._user(),
                            "chat": {"id": self.chat_id, "type": "private", "first_name": "Оксана"},
                            **content}}  # fmt: skip

    def says(self, text):
        return self._post(self._message(text=text))

    def sends_location(self, lat, lon, accuracy=None):
        loc = {"latitude": lat, "longitude": lon}
        if accuracy:
            loc["horizontal_accuracy"] = accuracy
        return self._post(self._message(location=loc))

    def sends_photo(self, caption=None):
        sizes = [{"file_id": f"ph-{w}", "file_unique_id": f"u{w}", "width": w, "height": w * 3 // 4,
                  "file_size": w * 40} for w in (90, 320, 800)]  # fmt: skip
        content = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._post(self._message(**content))

    def taps_button(self, api: BotApi, index=0, row=None):
        """Tap a button of the last message with a keyboard (row ``row`` or ``index``)."""
        markup = next(p["reply_markup"] for p in reversed(api.of("sendMessage"))
                      if p.get("reply_markup"))  # fmt: skip
        rows = markup["inline_keyboard"]
        button = rows[row if row is not None else index][0]
        self.taps += 1
        query = {"id": f"cq{self.update_id}", "from": self._user(), "chat_instance": "ci",
                 "data": button["callback_data"],
                 "message": {"message_id": 1, "date": int(time.time()),
                             "chat": {"id": self.chat_id, "type": "private"}, "text": "?"}}  # fmt: skip
        return self._post({"callback_query": query})


def last_text(api):
    return api.of("sendMessage")[-1]["text"]


def test_off_unless_configured(client, registry):
    assert Resident(client).says("опора 17").status_code == 404


def test_secret_is_checked(client, bot):
    resident = Resident(client)
    assert resident._post(resident._message(text="x"), secret="wrong").status_code == 403
    assert resident._post(resident._message(text="x"), secret=None).status_code == 403
    assert bot.calls == []


def test_bad_bodies_are_400_not_500(client, bot):
    h = {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": SECRET}
    for body in (b"not json", b"[1, 2]", b'{"message": {"chat": {"id": "abc"}}}', b"\xff\xfe"):
        r = client.post(URL, body, content_type="application/json", **h)
        assert r.status_code == 400, (body, r.status_code)
        assert r.json()["code"] == "invalid"
    assert (
        client.post(URL, b'{"update_id": 5}', content_type="application/json", **h).status_code
        == 200
    )
    assert client.get(URL, **h).status_code == 405


def test_ambiguous_message_reaches_a_filed_report_in_two_taps(client, bot):
    before = Report.objects.count()
    resident = Resident(client, chat_id=555002)
    assert resident.says("опора 17 не світить").status_code == 200
    asked = bot.of("sendMessage")[-1]
    assert asked["chat_id"] in (555002, "555002")
    assert "вулиці" in asked["text"] or "місц" in asked["text"]  # the locator's question
    assert 2 <= len(asked["reply_markup"]["inline_keyboard"]) <= 5
    while Report.objects.count() == before and resident.taps < 2:
        resident.taps_button(bot, 0)
    assert Report.objects.count() == before + 1, [p["text"] for p in bot.of("sendMessage")]
    assert resident.taps <= 2
    report = Report.objects.latest("pk")
    assert report.source == "telegram" and report.ip is None
    assert report.category.code == "light-out"
    assert f"№{report.pk}" in last_text(bot)
    assert len(bot.of("answerCallbackQuery")) == resident.taps
    assert bot.violations == []


def test_unclear_category_is_asked_with_buttons(client, bot):
    resident = Resident(client, chat_id=555003)
    resident.says("щось не так на вул. Тараса Шевченка 12")
    keyboard = bot.of("sendMessage")[-1]["reply_markup"]["inline_keyboard"]
    codes = [row[0]["callback_data"] for row in keyboard]
    assert "cat:other" in codes
    resident.taps_button(bot, row=codes.index("cat:other"))
    report = Report.objects.latest("pk")
    assert report.category.code == "other" and report.source == "telegram"
    assert bot.violations == []


def test_photo_and_location(client, bot):
    before = Report.objects.count()
    resident = Resident(client, chat_id=555004)
    resident.sends_photo(caption="люк відкритий")
    assert "Відкритий" in bot.of("sendMessage")[-1]["text"] or bot.of("sendMessage")[-1].get(
        "reply_markup"
    )
    resident.taps_button(bot, 0)  # the manhole's required question: its state
    assert Report.objects.count() == before  # no place yet: asked for it
    resident.sends_location(48.1101, 32.7641, accuracy=12)
    assert Report.objects.count() == before + 1, [p["text"] for p in bot.of("sendMessage")]
    report = Report.objects.latest("pk")
    assert report.located_by in ("gps", "text") and report.photos.count() == 1
    from geoportal.locator.geo import ground_m, to_xy

    sent = to_xy(32.7641, 48.1101)
    assert ground_m((report.location.x, report.location.y), sent) < 50
    assert bot.of("getFile")[-1]["file_id"] == "ph-800"  # the largest size
    assert bot.downloads >= 1 and bot.violations == []


def test_status_change_is_sent_to_the_chat(client, bot, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from geoportal.reports.workflow import change_status

    resident = Resident(client, chat_id=555005)
    resident.says("яма на дорозі біля будинку 12 по вул. Тараса Шевченка")
    if bot.of("sendMessage")[-1].get("reply_markup"):
        resident.taps_button(bot, 0)  # the pothole's size
    report = Report.objects.latest("pk")
    assert report.source == "telegram"
    staff = get_user_model().objects.filter(is_staff=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        change_status(report, Status.IN_PROGRESS, user=staff, note="Бригада виїхала")
    sent = bot.of("sendMessage")[-1]
    assert str(sent["chat_id"]) == "555005"
    assert f"№{report.pk}" in sent["text"] and "Бригада виїхала" in sent["text"]
    assert bot.violations == []


def test_english_on_request_and_by_language_code(client, bot):
    en = Resident(client, chat_id=555006, lang="en-GB")
    en.says("/start")
    assert "Welcome" in last_text(bot) or "hromada" in last_text(bot).lower()
    uk = Resident(client, chat_id=555007, lang="uk")
    uk.says("/start")
    assert "Вітаємо" in last_text(bot)
    uk.says("/lang en")
    assert "English" in last_text(bot)


def test_redelivered_update_is_handled_once(client, bot):
    resident = Resident(client, chat_id=555008)
    resident.says("/start")
    n = len(bot.of("sendMessage"))
    resident.update_id -= 1  # Telegram sends the same update again
    resident.says("/start")
    assert len(bot.of("sendMessage")) == n


def test_hostile_text_is_refused_cleanly(client, bot):
    resident = Resident(client, chat_id=555009)
    for text in ["\x00\x01<script>alert(1)</script>", "опора " + "9" * 5000, "ъ" * 4000]:
        assert resident.says(text).status_code == 200
    assert bot.violations == []
