"""How much a timing assertion may stretch on a busy machine.

Some tests bound a gap or a wait (a writer waits in 50 ms steps, the window's event loop never
stalls 100 ms). On a machine whose cores are all busy with other work (a newcomer's suite run
beside a build, CI neighbours) the scheduler alone stretches such gaps; the bound then grows
with the load, and stays as tight as written on a quiet machine."""

import os


def slack() -> float:
    """1 on a machine with idle cores; the load per core (1-minute average) above that."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not on every platform
        return 1.0
    return max(1.0, load / (os.cpu_count() or 1))
