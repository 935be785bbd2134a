"""The load benchmark's own arithmetic: the figures it prints beside each run must add up."""

import os
import subprocess
import sys
import time

import psutil

from tests.bench import load


def test_each_window_has_its_own_p99_and_the_ramp_is_named():
    tally = load.Tally()
    start = 100.0
    # Ten events in the first 5 s (the ramp), ten slow ones in the next 5 s, none after.
    for i in range(10):
        tally.event_ms.append(1.0 + i)
        tally.event_at.append(start + 0.1 * i)
        tally.event_ms.append(50.0 + i)
        tally.event_at.append(start + 5.0 + 0.1 * i)
    windows = load.by_window(tally, start, ramp=5, end=start + 15)
    assert list(windows) == ["0-5 (ramp)", "5-10"]
    assert windows["0-5 (ramp)"] < 11 < 50 < windows["5-10"] <= 59


def test_cores_busy_adds_each_role_up_over_the_run_and_leaves_out_what_ended():
    before = {(0, "idle"): 10.0, (1, "web"): 2.0, (2, "web"): 1.0, (3, "drawing"): 0.0, (4, "gone"): 5.0}
    after = {(0, "idle"): 14.0, (1, "web"): 4.0, (2, "web"): 3.0, (3, "drawing"): 1.0, (5, "web"): 1.0}
    busy = load.cores_busy(before, after, wall=10.0)
    # web: 2 + 2 from the processes seen twice, 1 from one that started during the run
    assert busy == {"web": 0.5, "idle": 0.4, "drawing": 0.1}
    assert list(busy) == ["web", "idle", "drawing"]  # busiest first


def test_this_process_is_the_visitors_and_the_servers_children_are_web_or_drawing():
    assert load.role(psutil.Process(os.getpid()), server_pids=set()) == "visitors"
    # A drawing process is a multiprocessing child of a worker: its command line says so.
    web = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    drawing = subprocess.Popen([sys.executable, "-c", "import multiprocessing, time; time.sleep(30)"])
    try:
        server = {web.pid, drawing.pid}
        assert load.role(psutil.Process(web.pid), server) == "web"
        assert load.role(psutil.Process(drawing.pid), server) == "drawing"
        assert load.role(psutil.Process(web.pid), set()) == "other"  # not the server's: someone else's
    finally:
        web.kill()
        drawing.kill()
        web.wait()
        drawing.wait()


def test_the_slowest_answers_are_told_slowest_first_by_the_wall_clock_they_came_at():
    tally = load.Tally()
    for ms, at in ((5.0, 10.0), (80.0, 12.5), (20.0, 11.0), (1.0, 13.0)):
        tally.event_ms.append(ms)
        tally.event_at.append(at)
    noon = time.mktime((2026, 12, 3, 12, 0, 0, 0, 0, -1))  # local time, as the servers' logs print it
    told = load.slowest(tally, count=3, to_wall=noon)
    assert told == [("12:00:12.500", 80.0), ("12:00:11.000", 20.0), ("12:00:10.000", 5.0)]
