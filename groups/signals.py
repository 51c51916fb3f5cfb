"""What happens in a group that the apps above may react to (notifications tells the people
concerned). Sent inside the service's transaction: a receiver's writes commit with it."""

from django.dispatch import Signal

# request: the JoinRequest just made (pending)
join_requested = Signal()
# request: the JoinRequest just approved or denied (its decided_by is the actor)
join_decided = Signal()
# invitation, invitee (the User it is meant for), actor
invited = Signal()
