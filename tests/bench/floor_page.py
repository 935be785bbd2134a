"""The floor pages' web server: one fixed HTML page on a free local port, so a benchmark's floor has no framework."""

import http.server
import threading


def serve_page(html: bytes) -> tuple[http.server.HTTPServer, str]:
    """Serve `html` for every GET in a background thread; (the server, its URL). Call server.shutdown() after."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *_args):
            pass  # a benchmark's output is its figures

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
