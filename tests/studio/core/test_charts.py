from datetime import timedelta

from studio.core.templatetags.studio_extras import bar_chart, duration


def test_it_draws_one_bar_per_value_with_escaped_labels():
    svg = bar_chart(["<b>", "2", "3"], [1, 4, 2], title="Rows & tokens")
    assert svg.count("<rect ") == 3
    assert 'aria-label="Rows &amp; tokens"' in svg and "&lt;b&gt;: 1" in svg
    assert 'height="0.0"' not in svg  # the smallest bar is still drawn


def test_it_draws_nothing_without_values():
    assert bar_chart([], []) == ""


def test_it_writes_durations_for_people():
    assert [duration(timedelta(seconds=s)) for s in (12, 200, 3840)] == ["12 s", "3 min 20 s", "1 h 04 min"]
    assert duration(None) == "—"


def test_it_labels_close_values_apart():
    from studio.core.templatetags.studio_extras import line_chart

    svg = line_chart([{"name": "eval loss", "points": [(0, 10.8277), (1, 10.8244)]}])
    assert ">10.83<" in svg and ">10.82<" in svg  # not 10.8 twice
    assert ">2.5<" in line_chart([{"name": "loss", "points": [(0, 2.5), (1, 2.1)]}])
