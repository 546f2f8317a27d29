from django.urls import path

from events import series_views, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("feed/reset/", views.FeedResetView.as_view(), name="feed_reset"),
    path("feed/<str:token>.ics", views.FeedView.as_view(), name="feed"),
    path("bookings/cancel/<str:token>/", views.CancelByLinkView.as_view(), name="cancel_by_link"),
    path(
        "bookings/calendar/<str:token>.ics",
        views.BookingCalendarView.as_view(),
        name="booking_calendar",
    ),
    path("bookings/feedback/<str:token>/", views.FeedbackView.as_view(), name="feedback"),
    # The short address in text messages, where every character costs.
    path("e/<int:pk>/", views.EventShortLinkView.as_view(), name="short"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/book/", views.BookView.as_view(), name="book"),
    path("<slug:slug>/book-all/", series_views.BookSeriesView.as_view(), name="book_series"),
    path("<slug:slug>/your-dates/", series_views.SeriesBookedView.as_view(), name="series_booked"),
    path("<slug:slug>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<slug:slug>/places/", views.ChangePlacesView.as_view(), name="change_places"),
    path("<slug:slug>/event.ics", views.EventIcsView.as_view(), name="ics"),
]
