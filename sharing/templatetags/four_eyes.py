from django import template

from sharing.workflow import changes_per_gemeente

register = template.Library()


@register.simple_tag
def changes_on_channels(task_state):
    """What approving this task state's revision changes, per gemeente."""
    entry = task_state.workflow_state.content_object
    return changes_per_gemeente(entry, task_state.revision)
