from tests.campaigns.factories import *  # noqa: F403
