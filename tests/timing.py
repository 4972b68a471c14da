"""How much a timing assertion may stretch on a busy machine.

Some tests bound a gap or a wait (a writer waits in 50 ms steps, the window's event loop never
stalls 100 ms). On a machine whose cores are all busy with other work (a newcomer's suite run
beside a build, CI neighbours) the scheduler alone stretches such gaps; the bound then grows
with the load, and stays as tight as written on a quiet machine."""

import os
import time

LOADAVG = "/proc/loadavg"


def slack() -> float:
    """1 on a machine with idle cores; above that, the load per core: the larger of the
    1-minute average and the threads runnable right now."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not on every platform
        return 1.0
    return max(1.0, max(load, running_now()) / (os.cpu_count() or 1))


def running_now(samples: int = 10, every: float = 0.01) -> float:
    """Threads runnable on the whole machine (this one included), averaged over a tenth of a
    second. The 1-minute average lags: a load that began ten seconds ago (another suite run
    starting) shows in it as a sixth of its size, and the bounds failed under load 7 to 12 on
    2 cores while the average still said 3 to 6. 0 where Linux's /proc is not there."""
    counts = []
    for n in range(samples):
        try:
            with open(LOADAVG) as file:
                counts.append(int(file.read().split()[3].split("/")[0]))
        except (OSError, IndexError, ValueError):
            return 0.0
        if n + 1 < samples:
            time.sleep(every)
    return sum(counts) / len(counts)
