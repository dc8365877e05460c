"""/alerts/: an analyst's digest settings (login); /alerts/unsubscribe/<token>/: the link in every digest, which
works without a login (GET asks, POST switches the digest off: mail scanners that follow links change nothing)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspections.models import DigestSubscription

from .forms import DigestForm
from .services import digest_subscription_save, digest_unsubscribe


@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    subscription = DigestSubscription.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            digest_subscription_save(user=request.user, frequency=data["frequency"], everything=data["everything"],
                                     regions=data["regions"], areas=data["areas"], overdue=data["overdue"],
                                     active=data["active"])
            return redirect("alerts")
    elif subscription is not None:
        form = DigestForm(initial={"active": subscription.active, "frequency": subscription.frequency,
                                   "everything": subscription.everything, "regions": subscription.regions,
                                   "areas": list(subscription.areas.all()), "overdue": subscription.overdue})
    else:
        form = DigestForm(initial={"active": False})
    return render(request, "alerts/settings.html", {"form": form, "subscription": subscription,
                                                    "has_email": bool(request.user.email)})


@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = DigestSubscription.objects.filter(token=token).select_related("user").first()
    if subscription is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(request, "alerts/unsubscribe.html", {"unknown": True}, status=200)
    if request.method == "POST":
        digest_unsubscribe(token=token)
        return render(request, "alerts/unsubscribe.html", {"done": True})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})
