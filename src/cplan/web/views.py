from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cplan.partnerships.models import Partnership
from cplan.web import selectors


def scotland(request: HttpRequest) -> HttpResponse:
    return render(request, "web/scotland.html", selectors.scotland_page())


def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    cpp = get_object_or_404(Partnership.objects.select_related("council_area"), slug=slug)
    return render(request, "web/partnership.html", selectors.partnership_page(partnership=cpp))
