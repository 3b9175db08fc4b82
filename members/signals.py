from django.dispatch import Signal

# Sent inside person_merge's transaction, after related rows moved to the survivor and before the
# duplicate is deleted: kwargs `survivor` and `duplicate_id`. Apps that key data by a person's id
# in a string (not a foreign key) fix their keys here.
person_merged = Signal()
