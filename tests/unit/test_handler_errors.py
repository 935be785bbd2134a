"""A handler that fails anyway shows the visitor a kind message (never the exception) and logs it in full."""

from app.ui.errors import handler_failed


def test_a_failed_handler_is_logged_and_the_visitor_gets_a_kind_message(caplog):
    try:
        {}["secret internal detail"]
    except KeyError as error:
        shown = str(handler_failed(error))
    assert "didn't work on our side" in shown and "still here" in shown
    assert "secret internal detail" not in shown
    assert "event handler failed: KeyError" in caplog.text and "Traceback" in caplog.text


def test_the_app_uses_it():
    import app.app as site

    assert site.app.backend_exception_handler is handler_failed
