"""`{% bar_chart chart label %}` (load action_charts): a grouped bar chart as inline SVG."""

from django import template

from actions.charts import bars_svg

register = template.Library()


@register.simple_tag
def bar_chart(chart: dict, label: str) -> str:
    return bars_svg(chart, label)
