"""Visits of one visitor within one local day, kept as runs of page views.

A run is a [start, end] pair of epoch seconds; views closer than the gap limit join
one run. Keeping runs (not just the last view) keeps the count exact when log lines
arrive slightly out of order, as they do when several servers or workers write a log.
"""
VISIT_GAP_SECONDS = 30 * 60


def add_view(runs, when, gap=VISIT_GAP_SECONDS):
    """Record a view at ``when`` in ``runs`` (a flat, sorted [s0, e0, s1, e1, ...] list).

    Returns the change in the number of visits: +1 for a new visit, 0 when the view
    joins a visit, -1 when it bridges two visits into one.
    """
    if runs:
        last_end = runs[-1]
        if when >= last_end:
            if when - last_end <= gap:
                runs[-1] = when
                return 0
            runs.append(when)
            runs.append(when)
            return 1
    else:
        runs.append(when)
        runs.append(when)
        return 1
    return _add_out_of_order(runs, when, gap)


def _add_out_of_order(runs, when, gap):
    before = len(runs) // 2
    pairs = [[runs[i], runs[i + 1]] for i in range(0, len(runs), 2)]
    pairs.append([when, when])
    pairs.sort()
    merged = [pairs[0]]
    for start, end in pairs[1:]:
        if start - merged[-1][1] <= gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    runs[:] = [edge for pair in merged for edge in pair]
    return len(merged) - before


def active_between(runs, first, last):
    """Whether the runs show activity in [first, last].

    A run's ends are real views, so this is exact whenever ``last`` is at or after the
    run's end; a window falling strictly inside a run counts as activity.
    """
    return any(
        runs[i] <= last and runs[i + 1] >= first for i in range(0, len(runs), 2)
    )


def encode_runs(runs):
    return ",".join(map(str, runs))


def decode_runs(text):
    return [int(edge) for edge in text.split(",")] if text else []
