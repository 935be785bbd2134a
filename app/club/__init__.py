"""Club mail: the only place that decides and writes mail; orders and the tracker announce, we react."""

from app import events
from app.club import order_mail

events.listen(order_mail.react)
