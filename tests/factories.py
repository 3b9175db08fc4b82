"""factory-boy factories for the foundation models. Apps add theirs in tests/<area>/factories.py."""

import factory
from django.utils.text import slugify

from conect.access import Role
from congregations.models import Congregation, Membership, Tradition
from members.models import Person, User


class CongregationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congregation

    name = factory.Sequence(lambda n: f"Congregation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    tradition = Tradition.CHRISTIAN
    town = "Hartford"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@conect.example")
    # Fixed, unlikely names: a random one in the page header could match a name a test looks for.
    first_name = factory.Sequence(lambda n: f"Staffer{n}")
    last_name = "Quill"
    role = Role.LEADER
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def congregations(self, create, extracted, **kwargs):
        if create and extracted:
            self.congregations.add(*extracted)
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")

    @factory.post_generation
    def congregation(self, create, extracted, **kwargs):
        """PersonFactory(congregation=c) makes c their primary congregation."""
        if create and extracted:
            Membership.objects.create(person=self, congregation=extracted, is_primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    congregation = factory.SubFactory(CongregationFactory)
