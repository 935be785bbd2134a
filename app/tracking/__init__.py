"""Where's My Baby?: a buyer follows their ordered car home, stage by stage."""
