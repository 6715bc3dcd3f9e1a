"""The progress chart spaces months by time, skipped months included, with labelled scales."""

from __future__ import annotations

from datetime import date

from app.regions.charts import progress_chart
from app.regions.matrix import ProgressPoint


def test_months_take_their_true_width_and_both_axes_have_a_scale():
    chart = progress_chart(
        [
            ProgressPoint(date(2013, 1, 1), 1),
            ProgressPoint(date(2013, 4, 1), 3),  # February and March had no change
            ProgressPoint(date(2013, 5, 1), 2),
        ]
    )

    (jan, _), (apr, _), (may, _) = chart.points
    # 90 days from January to April, 30 from April to May: three times the width
    assert round((apr - jan) / (may - apr), 1) == 3.0
    assert [tick.value for tick in chart.y_ticks] == [0, 1, 2, 3]
    assert [tick.value for tick in chart.x_ticks][:4] == [
        date(2013, 1, 1),
        date(2013, 2, 1),
        date(2013, 3, 1),
        date(2013, 4, 1),
    ]
    assert chart.y_ticks[0].position == chart.bottom and chart.y_ticks[-1].position == chart.top


def test_a_long_project_is_scaled_in_years_and_large_counts_in_round_steps():
    chart = progress_chart(
        [ProgressPoint(date(2013, 3, 1), 40), ProgressPoint(date(2018, 6, 1), 430)]
    )

    assert all(tick.yearly for tick in chart.x_ticks)
    assert [tick.value.year for tick in chart.x_ticks] == [2014, 2015, 2016, 2017, 2018]
    assert [tick.value for tick in chart.y_ticks] == [0, 100, 200, 300, 400, 500]


def test_no_progress_no_chart():
    assert progress_chart([]) is None
