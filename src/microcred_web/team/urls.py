"""Team URLs: ``/team/...`` (sign-in required, except an invitation's own page)."""

from django.urls import path

from microcred_web.team import views

app_name = "team"

_KINDS = {"providers": "provider", "agencies": "agency"}

urlpatterns = [
    path("team/tokens/", views.token_list, name="tokens"),
    path("team/tokens/new", views.token_create, name="token-create"),
    path("team/tokens/<int:token_id>/revoke", views.token_revoke, name="token-revoke"),
    path("team/invitations/<str:token>/", views.invitation, name="invitation"),
]
for segment, kind in _KINDS.items():
    urlpatterns += [
        path(f"team/{segment}/<slug:slug>/", views.team, {"kind": kind}, name=kind),
        path(
            f"team/{segment}/<slug:slug>/invite",
            views.invite,
            {"kind": kind},
            name=f"{kind}-invite",
        ),
        path(
            f"team/{segment}/<slug:slug>/members/<int:member_id>/level",
            views.change_level,
            {"kind": kind},
            name=f"{kind}-level",
        ),
        path(
            f"team/{segment}/<slug:slug>/members/<int:member_id>/remove",
            views.remove,
            {"kind": kind},
            name=f"{kind}-remove",
        ),
        path(
            f"team/{segment}/<slug:slug>/invitations/<str:public_id>/revoke",
            views.revoke_invitation,
            {"kind": kind},
            name=f"{kind}-invitation-revoke",
        ),
    ]
