"""`python manage.py api_token create EMAIL [--name NAME]`: a new token for that login, printed
as the last line (scripts take it with `| tail -1`). `list EMAIL` and `revoke ID` as well."""

from django.core.management.base import BaseCommand, CommandError

from members.models import User

from ... import selectors, services


class Command(BaseCommand):
    help = "Make, list or revoke a login's API tokens (OSDI-API-Token)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="verb", required=True)
        create = commands.add_parser("create", help="make a token; it is printed last")
        create.add_argument("email")
        create.add_argument("--name", default="made with manage.py api_token")
        listing = commands.add_parser("list", help="a login's tokens")
        listing.add_argument("email")
        revoke = commands.add_parser("revoke", help="stop a token working")
        revoke.add_argument("id", type=int)

    def handle(self, *args, verb, **options):
        if verb == "revoke":
            token = selectors.ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"no token #{options['id']}")
            services.token_revoke(token=token, by=None)
            self.stdout.write(f"revoked token #{token.pk} ({token.name})")
            return
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active login with the email {options['email']}")
        if verb == "list":
            for token in selectors.tokens_of(user):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"#{token.pk}\t{token.prefix}…\t{state}\t{token.name}")
            return
        row, token = services.token_create(user=user, name=options["name"], by=None)
        self.stdout.write(
            f"token #{row.pk} for {user.email} ({user.get_role_display()}): "
            "it acts with this login's role and scope; keep it secret"
        )
        self.stdout.write(token)
