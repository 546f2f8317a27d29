"""One way to page a list, used with templates/includes/pagination.html."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int) -> dict:
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return {"paginator": paginator, "page_obj": page, "object_list": page.object_list}
