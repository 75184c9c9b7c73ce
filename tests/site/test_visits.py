"""The website's visitor counter: visitors, not requests; Vietnam-time periods; no address
kept; nothing lost to a restart."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from motcua.core.calendar import VN_TZ
from motcua.core.models import Role
from motcua.site.models import Period, VisitorMark, VisitSalt, VisitTotal
from motcua.site.visits import counting
from motcua.site.visits.figures import counter, visitors_per_day
from tests.conftest import make_user
from tests.site.conftest import BROWSER

IP_A, IP_B = "203.0.113.7", "198.51.100.23"


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def visit(site, at: datetime, ip: str = IP_A, agent: str = BROWSER) -> int:  # type: ignore[no-untyped-def]
    return counting.record(site.pk, ip, agent, now=at)


def figures(site, at: datetime):  # type: ignore[no-untyped-def]
    counting.flush()
    return counter(site.pk, now=at)


def test_the_same_visitor_is_counted_once_a_day_however_many_pages_they_read(website):
    for minutes in (0, 1, 30, 600):
        visit(website, vn(2026, 12, 1, 8, 0) + timedelta(minutes=minutes))
    visit(website, vn(2026, 12, 1, 9, 0), agent=BROWSER.replace("Android 14", "Android 13"))
    visit(website, vn(2026, 12, 1, 9, 5), ip=IP_B)
    shown = figures(website, vn(2026, 12, 1, 20, 0))
    assert (shown.today, shown.week, shown.month, shown.total) == (3, 3, 3, 3)


def test_a_visitor_on_two_days_counts_once_in_the_week_and_month_and_twice_in_the_total(
    website,
):
    visit(website, vn(2026, 12, 1, 10, 0))  # Tuesday
    visit(website, vn(2026, 12, 2, 10, 0))  # Wednesday
    shown = figures(website, vn(2026, 12, 2, 11, 0))
    assert (shown.today, shown.week, shown.month, shown.total) == (1, 1, 1, 2)


def test_the_week_starts_on_monday_at_midnight_vietnam_time(website):
    # Sunday 29/11 23:50 and Monday 30/11 00:10 in Vietnam are both Sunday in UTC.
    visit(website, vn(2026, 11, 29, 23, 50))
    visit(website, vn(2026, 11, 30, 0, 10))
    shown = figures(website, vn(2026, 11, 30, 8, 0))
    assert (shown.today, shown.week, shown.month) == (1, 1, 1)
    last_sunday = counter(website.pk, now=vn(2026, 11, 29, 23, 55))
    assert (last_sunday.today, last_sunday.week) == (1, 1)  # the previous week's own visit


def test_the_month_starts_on_the_first_at_midnight_vietnam_time(website):
    visit(website, vn(2026, 11, 30, 23, 59))
    visit(website, vn(2026, 12, 1, 0, 0, 30))  # still 30/11 in UTC
    december = figures(website, vn(2026, 12, 1, 7, 0))
    assert (december.today, december.week, december.month, december.total) == (1, 1, 1, 2)
    visit(website, vn(2026, 12, 1, 7, 30), ip=IP_B)
    assert figures(website, vn(2026, 12, 1, 8, 0)).month == 2


def test_online_now_counts_the_visitors_of_the_last_five_minutes(website):
    now = vn(2026, 12, 1, 10, 30, 0)
    visit(website, now - timedelta(minutes=3))
    visit(website, now - timedelta(minutes=1))  # the same visitor: once
    visit(website, now - timedelta(minutes=4, seconds=30), ip=IP_B)
    visit(website, now - timedelta(minutes=7), agent=BROWSER + " x")  # gone
    assert figures(website, now).online == 2
    assert counter(website.pk, now=now + timedelta(minutes=4)).online == 1  # B left
    assert counter(website.pk, now=now + timedelta(minutes=6)).online == 0


def test_bots_scripts_and_staff_are_not_counted_through_the_pages(client, website, ward):
    for agent in (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ):
        client.get("/", HTTP_USER_AGENT=agent)
    client.get("/tin-tuc/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    client.get("/khong-co/", HTTP_USER_AGENT=BROWSER)  # a 404 is not a visit
    client.force_login(make_user("vanphong", ward, Role.WEBSITE_EDITOR))
    client.get("/", HTTP_USER_AGENT=BROWSER)
    counting.flush()
    assert VisitorMark.objects.count() == 0
    client.logout()
    assert client.get("/", HTTP_USER_AGENT=BROWSER).status_code == 200
    assert figures(website, datetime.now(VN_TZ)).today == 1


def test_a_cached_page_is_still_counted(client, website, settings):
    settings.MOTCUA_PAGE_CACHE_SECONDS = 60
    client.get("/tin-tuc/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP_A)
    client.get("/tin-tuc/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP_B)  # from the cache
    assert figures(website, datetime.now(VN_TZ)).today == 2


def test_a_preview_is_not_counted(website):
    from motcua.site.visits.middleware import counts

    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
    request.user = AnonymousUser()
    request.is_preview = True

    class Response:
        status_code = 200

    assert counts(request, Response()) is False  # type: ignore[arg-type]


def test_the_counts_survive_a_restart_and_a_returning_visitor_is_not_counted_again(website):
    at = vn(2026, 12, 1, 9, 0)
    visit(website, at)
    counting.flush()
    cache.clear()  # a restarted process: empty cache, empty memory
    counting.recent.clear()
    counting._salts.clear()
    visit(website, at + timedelta(hours=1))  # the salt is in the database: the same hash
    shown = figures(website, at + timedelta(hours=2))
    assert (shown.today, shown.total) == (1, 1)


def test_nothing_stored_can_name_the_visitor_and_hashes_change_every_day(website):
    visit(website, vn(2026, 12, 1, 9, 0))
    visit(website, vn(2026, 12, 2, 9, 0))
    counting.flush()
    stored = " ".join(
        f"{m.digest} {m.period} {m.start}" for m in VisitorMark.objects.all()
    ) + " ".join(s.salt for s in VisitSalt.objects.all())
    assert IP_A not in stored and "Android" not in stored
    days = VisitorMark.objects.filter(period=Period.DAY).values_list("digest", flat=True)
    assert len(set(days)) == 2  # the same person is not linkable from one day to the next


def test_closing_a_day_keeps_its_count_and_deletes_its_marks_and_salt(website):
    visit(website, vn(2026, 12, 1, 9, 0))
    visit(website, vn(2026, 12, 1, 9, 0), ip=IP_B)
    visit(website, vn(2026, 12, 2, 9, 0))
    closed = counting.rollover(now=vn(2026, 12, 2, 10, 0))
    assert closed == 1  # 1 December (the week and month are still open)
    day = VisitTotal.objects.get(period=Period.DAY)
    assert day.visitors == 2 and day.start == vn(2026, 12, 1)
    assert not VisitorMark.objects.filter(period=Period.DAY, start=vn(2026, 12, 1)).exists()
    assert not VisitSalt.objects.filter(period=Period.DAY, start=vn(2026, 12, 1)).exists()
    shown = counter(website.pk, now=vn(2026, 12, 2, 10, 0))
    assert (shown.today, shown.week, shown.month, shown.total) == (1, 2, 2, 3)
    assert visitors_per_day(website.pk, 3, today=vn(2026, 12, 2).date()) == [
        (vn(2026, 11, 30).date(), 0),
        (vn(2026, 12, 1).date(), 2),
        (vn(2026, 12, 2).date(), 1),
    ]
    counting.rollover(now=vn(2026, 12, 2, 10, 5))  # again: nothing counted twice
    assert VisitTotal.objects.get(period=Period.DAY).visitors == 2


def test_a_buffer_entry_still_being_written_is_left_for_the_next_flush(website):
    visit(website, vn(2026, 12, 1, 9, 0))
    number = cache.incr(counting.SEQUENCE)  # numbered by a writer that has not stored it yet
    assert counting.flush() == 4  # minute, day, week and month of the first visit
    cache.set(counting.ITEM.format(number), [(website.pk, "day", vn(2026, 12, 1).isoformat(),
                                              "f" * 32)])  # fmt: skip
    assert counting.flush() == 1
    assert counter(website.pk, now=vn(2026, 12, 1, 10, 0)).today == 2


def test_the_staff_chart_shows_the_days_of_the_sites_a_user_edits(client, website, ward):
    visit(website, datetime.now(VN_TZ))
    counting.flush()
    editor = make_user("vanphong", ward, Role.WEBSITE_EDITOR)
    client.force_login(editor)
    page = client.get(reverse("site-visits"))
    assert page.status_code == 200
    assert page.context["charts"][0]["bars"][-1]["visitors"] == 1
    assert "<svg" in page.content.decode()


@pytest.mark.redis
def test_two_processes_sharing_redis_count_a_visitor_once(website, redis_cache):
    visit(website, vn(2026, 12, 1, 9, 0))
    counting.recent.clear()  # another web process: its own memory, the same Redis
    assert visit(website, vn(2026, 12, 1, 9, 1)) == 1  # only the new minute
    assert figures(website, vn(2026, 12, 1, 9, 2)).today == 1


def test_the_visitors_figure_adds_closed_and_open_days_and_is_none_without_a_website(
    website, ward, other_ward
):
    from motcua.site.figures import visitors

    visit(website, vn(2026, 11, 30, 9, 0))
    visit(website, vn(2026, 12, 1, 9, 0))
    visit(website, vn(2026, 12, 1, 9, 0), ip=IP_B)
    counting.rollover(now=vn(2026, 12, 1, 10, 0))  # 30/11 closed, 1/12 still open
    assert visitors(ward, vn(2026, 11, 1), vn(2026, 12, 2)) == 3
    assert visitors(ward, vn(2026, 12, 1), vn(2026, 12, 2)) == 2
    assert visitors(other_ward, vn(2026, 11, 1), vn(2026, 12, 2)) is None  # not measured
