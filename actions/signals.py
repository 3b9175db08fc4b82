from django.dispatch import Signal

# Sent after a door check-in stamped attendance rows with bulk operations (which send no
# post_save): kwargs `attendance_ids`. Apps above that announce attendance changes listen.
attendance_changed = Signal()
