"""factory-boy factories for every model; tests build data through these."""

import factory
from django.utils import timezone

from accounts.models import User
from bookmarks.urlnorm import normalize_url, url_key
from groups.models import Group, Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    description = "A group for testing."
    visibility = "public"
    join_policy = "open"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bookmarks.Page"

    url = factory.Sequence(lambda n: normalize_url(f"https://example.org/article-{n}"))
    url_hash = factory.LazyAttribute(lambda o: url_key(o.url))
    title = factory.Sequence(lambda n: f"Article {n}")


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bookmarks.Bookmark"

    page = factory.SubFactory(PageFactory)
    owner = factory.SubFactory(UserFactory)
    group = None
    title = factory.LazyAttribute(lambda o: o.page.title)
    tags = factory.LazyFunction(list)
    created_at = factory.LazyFunction(timezone.now)


class HighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "annotations.Highlight"

    bookmark = factory.SubFactory(BookmarkFactory)
    author = factory.LazyAttribute(lambda o: o.bookmark.owner)
    exact = factory.Sequence(lambda n: f"a highlighted passage number {n}")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "annotations.Comment"

    bookmark = factory.SubFactory(BookmarkFactory)
    author = factory.LazyAttribute(lambda o: o.bookmark.owner)
    body = factory.Sequence(lambda n: f"Comment number {n}")
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")
