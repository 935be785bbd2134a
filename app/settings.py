"""Where Motorjoy keeps its files and how the environment overrides the embedded defaults."""

import os
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# The car layers: in a checkout app/layers links to the repository's layers/; an installed wheel carries them.
LAYERS_DIR = (Path(__file__).resolve().parent / "layers").resolve()
DEV_PUBLIC_URL = "http://localhost:3000"


def data_dir() -> Path:
    """The writable data directory (SQLite file, picture cache); `MOTORJOY_DATA_DIR` moves it."""
    # A checkout keeps its data beside the code; an installed package in the directory it is run from.
    default = REPO_ROOT / "data" if (REPO_ROOT / "pyproject.toml").exists() else Path.cwd() / "data"
    path = Path(os.environ.get("MOTORJOY_DATA_DIR", default)).resolve()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Private to the app's user: it holds the database (password hashes, customers), the signing key and mail.
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def db_url() -> str:
    """The database URL: `REFLEX_DB_URL` when set, else an SQLite file in the data directory."""
    return os.environ.get("REFLEX_DB_URL") or f"sqlite:///{data_dir() / 'motorjoy.db'}"


def redis_url() -> str | None:
    """Redis for shared state between workers; unset means one process keeping visitors' state in memory."""
    return os.environ.get("REFLEX_REDIS_URL") or None


def _whole_number(name: str, default: str, least: int, unit: str = "") -> int:
    """`name` from the environment (`default` when unset or empty) as a whole number from `least` up;
    anything else stops the start with the setting named."""
    text = os.environ.get(name, "").strip() or default
    if not text.isdigit() or int(text) < least:
        kind = f"a whole number of {unit}" if unit else "a whole number"
        raise SystemExit(f"{name} must be {kind} from {least} up, not {text!r}.")
    return int(text)


def visitor_idle_seconds() -> int:
    """How long one process keeps a visitor's state after their last event once no tab of theirs is open."""
    return _whole_number("MOTORJOY_VISITOR_IDLE_SECONDS", "300", 1, "seconds")


def stall_ms() -> int | None:
    """Log where the event loop was when it stood still this long (`MOTORJOY_STALL_MS`); unset, nothing is watched."""
    if not os.environ.get("MOTORJOY_STALL_MS", "").strip():
        return None
    return _whole_number("MOTORJOY_STALL_MS", "", 5, "milliseconds")


def picture_cache_bytes() -> int:
    """The most the picture store on disk may hold (`MOTORJOY_PICTURE_CACHE_MB`, 300 MB by default)."""
    return _whole_number("MOTORJOY_PICTURE_CACHE_MB", "300", 10, "megabytes") * 1024 * 1024


def picture_misses_per_minute() -> int:
    """Never-seen pictures one client may have drawn a minute (`MOTORJOY_PICTURE_MISSES_PER_MINUTE`, 120)."""
    return _whole_number("MOTORJOY_PICTURE_MISSES_PER_MINUTE", "120", 1)


def public_url() -> str:
    """Where customers reach the site, for links in mail: `MOTORJOY_PUBLIC_URL`."""
    return os.environ.get("MOTORJOY_PUBLIC_URL", DEV_PUBLIC_URL).rstrip("/")


def is_production() -> bool:
    """`MOTORJOY_ENV=production` (the full check of what that demands is `Settings.production_problems`)."""
    return os.environ.get("MOTORJOY_ENV", "").strip() == "production"


def secret_keys() -> tuple[bytes, ...]:
    """Every key a signed link may carry, newest first; the first one signs.

    `MOTORJOY_SECRET_KEY` is one key, or several separated by commas: put a new key first and keep
    the old one after it, and links already mailed (buyers keep theirs for months) still open.
    Without it, a key made once for this data directory (one server only).
    """
    keys = tuple(key.strip().encode() for key in os.environ.get("MOTORJOY_SECRET_KEY", "").split(",") if key.strip())
    if keys:
        return keys
    path = data_dir() / "secret.key"
    try:  # O_EXCL: when two processes start at once, exactly one writes the key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return (path.read_text().strip().encode(),)


def secret_key() -> bytes:
    """The key that signs new links (the first of `secret_keys`)."""
    return secret_keys()[0]


# --- production mode ------------------------------------------------------------------------------

EXAMPLE_SENDER_DOMAIN = "motorjoy.example"
MIN_KEY_CHARS = 32


class Settings(BaseSettings):
    """The settings production depends on, read from MOTORJOY_* in one place and checked together.

    In development every one has an embedded default; `MOTORJOY_ENV=production` makes each entry
    point refuse to start while one is missing or unsafe (see `production_problems`).
    """

    model_config = SettingsConfigDict(env_prefix="MOTORJOY_", extra="ignore")

    env: Literal["development", "production"] = "development"
    secret_key: SecretStr = SecretStr("")
    public_url: str = DEV_PUBLIC_URL
    smtp_host: str = ""
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    mail_from: str = ""

    @property
    def production(self) -> bool:
        return self.env == "production"

    def production_problems(self) -> list[str]:
        """What stops this configuration from serving real customers, one line per setting named."""
        problems = []
        keys = [key.strip() for key in self.secret_key.get_secret_value().split(",") if key.strip()]
        if not keys:
            problems.append(
                "MOTORJOY_SECRET_KEY is not set: every server must sign links with the same key "
                '(make one with: python3 -c "import secrets; print(secrets.token_urlsafe(32))").'
            )
        elif any(len(key) < MIN_KEY_CHARS for key in keys):
            problems.append(f"MOTORJOY_SECRET_KEY: every key needs at least {MIN_KEY_CHARS} random characters.")
        url = urlsplit(self.public_url)
        if url.scheme != "https" or not url.hostname or url.hostname in ("localhost", "127.0.0.1"):
            problems.append(
                f"MOTORJOY_PUBLIC_URL must be the https address customers use (it is {self.public_url!r}); "
                "mails link there."
            )
        if not self.smtp_host.strip():
            problems.append("MOTORJOY_SMTP_HOST is not set: in production club mail goes to a mail server.")
        elif self.smtp_security == "none" and self.smtp_host.strip() not in ("localhost", "127.0.0.1"):
            problems.append(
                "MOTORJOY_SMTP_SECURITY=none sends mail unencrypted to another machine; use starttls or ssl."
            )
        if not self.mail_from.strip() or self.mail_from.rstrip("> ").endswith("@" + EXAMPLE_SENDER_DOMAIN):
            problems.append("MOTORJOY_MAIL_FROM must be the club's real sender address, e.g. Club <club@brand.com>.")
        return problems


def load_settings() -> Settings:
    """The settings from the environment; a value that can't be read becomes a ValueError naming its variable."""
    try:
        return Settings()
    except ValidationError as error:
        named = [f"MOTORJOY_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()]
        raise ValueError("; ".join(named)) from None
