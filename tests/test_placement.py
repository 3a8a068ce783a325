"""Label placement's obstacle test gives the same costs whether it tests obstacles one by one or as
arrays (the arrays are a speed-up for charts with many labels)."""

from __future__ import annotations

import random

from matplotlib.transforms import Bbox

from digibrief.charts import placement
from digibrief.charts.placement import Obstacles


def _obstacles(rng: random.Random, n: int) -> Obstacles:
    obs = Obstacles()
    for _ in range(n):
        x, y = rng.uniform(0, 500), rng.uniform(0, 300)
        obs.boxes.append(Bbox([[x, y], [x + rng.uniform(0, 80), y + rng.uniform(0, 20)]]))
        p = (rng.uniform(0, 500), rng.uniform(0, 300))
        q = rng.choice([(p[0], rng.uniform(0, 300)), (rng.uniform(0, 500), p[1]), (rng.uniform(0, 500), 9.0)])
        obs.segments.append((p, q))  # vertical and horizontal ones too: the zero-division cases
    return obs


def test_many_obstacles_cost_the_same_as_testing_them_one_by_one(monkeypatch):
    rng = random.Random(14)
    bounds = Bbox([[0, 0], [480, 290]])
    obs = _obstacles(rng, 200)
    candidates = []
    for _ in range(400):
        x, y = rng.uniform(-20, 500), rng.uniform(-20, 300)
        candidates.append(Bbox([[x, y], [x + rng.uniform(5, 90), y + rng.uniform(5, 25)]]))
    fast = [obs.cost(c, bounds) for c in candidates]
    monkeypatch.setattr(placement, "FEW", 10**9)
    slow = [obs.cost(c, bounds) for c in candidates]
    assert fast == slow
    assert any(h > 0 for h, _ in slow) and any(s > 0 for _, s in slow)  # both kinds were hit


def test_obstacles_added_after_a_cost_are_counted():
    obs = _obstacles(random.Random(3), 60)
    box = Bbox([[1000, 1000], [1010, 1010]])
    assert obs.cost(box, Bbox([[0, 0], [2000, 2000]])) == (0.0, 0.0)
    obs.boxes.append(Bbox([[1005, 1005], [1020, 1020]]))
    assert obs.cost(box, Bbox([[0, 0], [2000, 2000]]))[0] == 25.0
