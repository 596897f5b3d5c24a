"""Report field checks: location inside the hromada extent, text size and HTML."""

from geoportal.reports.validation import check_location, check_text


def test_location():
    assert check_location(48.110, 32.764) == []
    assert check_location(None, None)
    assert check_location(50.45, 30.52)  # Kyiv: outside
    assert check_location("x", 32.7)


def test_text():
    assert check_text("Не світить ліхтар біля школи, опора 12 < 15 м") == []
    assert check_text("<script>alert(1)</script>")
    assert check_text("a" * 100_000)
