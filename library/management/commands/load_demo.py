"""`manage.py load_demo`: a small French group library to try Commonplace on (`make run` loads it).

Idempotent: when the demo group exists it only prints the accounts again. Everything goes
through the same services as the site (groups, bookmarks, annotations), so the demo obeys the
same rules. The demo pages are stored already "fetched" (title and text set, status ok): the
fetch worker has nothing to do and the demo needs no internet.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookmarks.models import Page
from bookmarks.services import save_bookmark
from bookmarks.urlnorm import normalize_url, url_key
from groups import services as groups
from groups.models import Group

DEMO_PASSWORD = "commonplace-demo"  # noqa: S105 - printed on the console on purpose
PUBLIC_SLUG = "tictravail"

PEOPLE = [
    # username, display name, role in Tic&Travail (None = not a member)
    ("camille", "Camille Lefèvre", "owner"),
    ("julien", "Julien Moreau", "admin"),
    ("amina", "Amina Diallo", "moderator"),
    ("louis", "Louis Bernard", "member"),
    ("sofia", "Sofia Rossi", "member"),
    ("promo", "Bonus Promo", "member"),  # posts the spam comment a moderator will see held
    ("nora", "Nora Haddad", None),  # only in the private group
]

# (saver, url, title, tags, description, page text, page language)
ITEMS = [
    (
        "camille",
        "https://www.inria.fr/fr/travailleurs-du-clic-micro-travail",
        "Les travailleurs du clic : enquête sur le micro-travail en France",
        "micro-travail plateformes enquête",
        "Qui sont les personnes qui micro-travaillent pour entraîner les IA ?",
        "Des dizaines de milliers de personnes micro-travaillent en France. Elles annotent "
        "des images, transcrivent des sons et vérifient des contenus pour quelques centimes. "
        "Ces travailleurs du clic restent invisibles : le micro-travail est fragmenté, payé à "
        "la tâche et sans protection sociale.",
        "fr",
    ),
    (
        "julien",
        "https://www.lemonde.fr/economie/article/teletravail-bilan-entreprises",
        "Télétravail : le bilan des entreprises cinq ans après",
        "télétravail management bureaux",
        "",
        "Le télétravail s'est installé durablement. Deux jours par semaine en moyenne : les "
        "salariés y gagnent du temps de transport, les managers doivent réinventer « la "
        "confiance » et les entreprises repensent leurs bureaux.",
        "fr",
    ),
    (
        "amina",
        "https://hal.science/travail-numerique-plateformes-droit",
        "Le droit du travail face aux plateformes numériques",
        "droit plateformes requalification",
        "Synthèse utile sur la requalification des chauffeurs et livreurs.",
        "Les juges requalifient parfois en contrat de travail la relation entre une plateforme "
        "et ses livreurs. Le lien de subordination se lit dans l'algorithme qui attribue les "
        "courses, fixe les prix et sanctionne les refus.",
        "fr",
    ),
    (
        "louis",
        "https://www.ilo.org/digital-labour-platforms-report",
        "World Employment and Social Outlook: the role of digital labour platforms",
        "platforms labour report",
        "ILO flagship report on online web-based and location-based platforms.",
        "Digital labour platforms have grown fivefold in a decade. Workers on online web-based "
        "platforms often work unpaid hours searching for tasks, and many earn less than the "
        "minimum wage of their country.",
        "en",
    ),
    (
        "sofia",
        "https://www.theguardian.com/technology/ghost-work-ai-data-labellers",
        "The ghost workers who label the data behind AI",
        "micro-travail ia annotation",
        "",
        "Behind every AI model are thousands of data labellers. They draw boxes around cars, "
        "rate chatbot answers and moderate violent content, often for a few dollars an hour.",
        "en",
    ),
    (
        "camille",
        "https://www.franceculture.fr/emissions/le-travail-a-l-ecran",
        "Le travail à l'écran : quand le numérique réorganise nos journées",
        "numérique temps écrans",
        "Émission radio : notifications, réunions en visio et fatigue.",
        "Le numérique devait alléger le travail ; il l'a surtout réorganisé. Notifications, "
        "messageries et réunions en visioconférence fragmentent les journées de ceux qui "
        "travaillent devant un écran.",
        "fr",
    ),
    (
        "julien",
        "https://www.dares.travail-emploi.gouv.fr/conditions-de-travail-numerique",
        "Conditions de travail et outils numériques (DARES)",
        "statistiques conditions-de-travail numérique",
        "",
        "Selon la DARES, un salarié sur trois déclare que les outils numériques augmentent son "
        "rythme de travail. Les cadres sont les plus exposés aux sollicitations hors horaires.",
        "fr",
    ),
    (
        "amina",
        "https://www.legifrance.gouv.fr/droit-a-la-deconnexion",
        "Droit à la déconnexion : ce que dit le Code du travail",
        "droit déconnexion",
        "L'article L2242-17 en clair.",
        "Depuis 2017, les entreprises de plus de cinquante salariés négocient les modalités du "
        "droit à la déconnexion. Le salarié n'est pas tenu de répondre aux courriels en dehors "
        "de son temps de travail.",
        "fr",
    ),
    (
        "louis",
        "https://hbr.org/remote-work-productivity-evidence",
        "What the evidence says about remote work and productivity",
        "télétravail productivity research",
        "",
        "Randomised trials find hybrid work keeps productivity steady while cutting quit rates "
        "by a third. Fully remote work shows mixed results, depending on the task.",
        "en",
    ),
    (
        "sofia",
        "https://www.wired.com/story/amazon-mechanical-turk-workers",
        "Inside the lives of Mechanical Turk workers",
        "micro-travail plateformes mturk",
        "Classic long read on crowd work.",
        "On Amazon Mechanical Turk, requesters post tiny tasks called HITs. Turkers share tools "
        "and forums to find fair requesters and avoid rejected work that goes unpaid.",
        "en",
    ),
    (
        "camille",
        "https://www.cnrs.fr/fr/intelligence-artificielle-et-emploi",
        "Intelligence artificielle et emploi : ce que l'on sait vraiment",
        "ia emploi automatisation",
        "",
        "L'IA remplace moins des métiers que des tâches. Elle transforme le travail des "
        "traducteurs, des juristes et des graphistes, et crée des emplois d'annotation.",
        "fr",
    ),
    (
        "julien",
        "https://www.liberation.fr/economie/livreurs-a-velo-greve",
        "Livreurs à vélo : la grève des travailleurs des plateformes",
        "plateformes livreurs mobilisation",
        "",
        "Les livreurs ont éteint leurs applications pendant deux soirs. Ils réclament une "
        "rémunération minimale par course et la transparence de l'algorithme qui les note.",
        "fr",
    ),
    (
        "amina",
        "https://www.eurofound.europa.eu/right-to-disconnect-europe",
        "Right to disconnect: exploring company practices in Europe",
        "déconnexion europe",
        "Comparatif européen.",
        "Several EU countries now recognise a right to disconnect. Company agreements range from "
        "email curfews to servers that stop forwarding messages after hours.",
        "en",
    ),
    (
        "louis",
        "https://www.alternatives-economiques.fr/travail-gratuit-internautes",
        "Le travail gratuit des internautes",
        "travail-gratuit plateformes données",
        "Quand nos clics deviennent du travail.",
        "Remplir un captcha, noter un restaurant, corriger une carte : les internautes "
        "travaillent gratuitement pour les plateformes, qui transforment ces traces en valeur.",
        "fr",
    ),
    (
        "sofia",
        "https://www.technologyreview.com/algorithmic-management-warehouses",
        "Algorithmic management is coming for every job",
        "management algorithme surveillance",
        "",
        "In warehouses, scanners time every pick and software sets the pace. Algorithmic "
        "management is spreading to offices through productivity scores.",
        "en",
    ),
    (
        "camille",
        "https://www.cairn.info/revue-travailler-ecrans-et-sante",
        "Écrans et santé au travail : une revue de la littérature",
        "santé écrans conditions-de-travail",
        "",
        "La fatigue visuelle, les troubles musculosquelettiques et la surcharge informationnelle "
        "sont les trois risques principaux du travail sur écran.",
        "fr",
    ),
    (
        "julien",
        "https://www.europarl.europa.eu/platform-work-directive",
        "Platform Work Directive: what changes for workers",
        "droit europe plateformes",
        "La directive européenne sur le travail via plateformes.",
        "The directive introduces a presumption of employment for platform workers and gives "
        "them the right to an explanation of automated decisions that affect them.",
        "en",
    ),
    (
        "amina",
        "https://www.usine-digitale.fr/coworking-tiers-lieux",
        "Coworking et tiers-lieux : travailler ailleurs qu'au bureau",
        "télétravail tiers-lieux",
        "",
        "Entre le domicile et le siège, les tiers-lieux accueillent ceux qui travaillent à "
        "distance mais ne veulent pas rester seuls.",
        "fr",
    ),
    (
        "louis",
        "https://www.nytimes.com/content-moderators-trauma",
        "The content moderators who keep the internet clean",
        "modération micro-travail santé",
        "",
        "Content moderators review hundreds of violent posts a day. Many report lasting trauma "
        "and little support from the outsourcing firms that employ them.",
        "en",
    ),
    (
        "sofia",
        "https://www.inegalites.fr/temps-partiel-et-numerique",
        "Temps partiel subi et travail numérique",
        "inégalités emploi",
        "Chiffres clés sur la précarité.",
        "Le temps partiel subi touche surtout les femmes. Le numérique permet de cumuler "
        "plusieurs petits emplois, au prix d'une journée de travail éclatée.",
        "fr",
    ),
]

# (saver of the item, index in ITEMS, quote from its page text, note)
HIGHLIGHTS = [
    ("amina", 0, "Ces travailleurs du clic restent invisibles", "Le cœur de l'enquête."),
    ("camille", 2, "Le lien de subordination se lit dans l'algorithme", ""),
    ("louis", 3, "many earn less than the minimum wage", "Key figure for our dossier."),
    ("sofia", 7, "Le salarié n'est pas tenu de répondre aux courriels", ""),
]

# (author, index in ITEMS, body)
COMMENTS = [
    ("julien", 0, "Très bonne enquête, à croiser avec le rapport de l'OIT."),
    ("sofia", 0, "I used this in my class on digital labour, students loved it."),
    ("camille", 3, "Voir aussi la directive européenne sur le travail via plateformes."),
]
SPAM_COMMENT = (
    "promo",
    1,
    "MEILLEUR CASINO EN LIGNE !!! Bonus 500€ gratuit, jackpot garanti : "
    "https://casino-bonus-gratuit.xyz https://bit.ly/jackpot-gratuit",
)


class Command(BaseCommand):
    help = "Load the demo groups, people and bookmarks (skipped when already loaded)."

    def handle(self, *args, **options):
        if Group.objects.filter(slug=PUBLIC_SLUG).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with transaction.atomic():
                self.load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_accounts()

    def print_accounts(self):
        names = ", ".join(username for username, _name, _role in PEOPLE)
        self.stdout.write(
            f"Demo accounts (password {DEMO_PASSWORD!r}): {names}"
            + (" and the superuser 'admin' (/admin/)" if settings.DEBUG else "")
        )

    def load(self):
        people = {}
        for username, display_name, _role in PEOPLE:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.display_name = display_name
            user.email = user.email or f"{username}@example.org"
            user.set_password(DEMO_PASSWORD)
            user.save()
            people[username] = user
        if settings.DEBUG and not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.org", DEMO_PASSWORD)

        owner = people["camille"]
        public = groups.create_group(
            owner,
            name="Tic&Travail",
            description=(
                "Veille partagée sur le travail et le numérique : micro-travail, télétravail, "
                "plateformes, droit à la déconnexion. Shared reading list on work and digital "
                "technology, in French and English."
            ),
            visibility=Group.Visibility.PUBLIC,
            join_policy=Group.JoinPolicy.OPEN,
        )
        for username, _name, role in PEOPLE:
            if role is None or role == "owner":
                continue
            groups.join_group(people[username], public)
            if role != "member":
                groups.set_role(owner, public, people[username], role)

        private = groups.create_group(
            people["julien"],
            name="Comité de rédaction",
            description="Private: the editors prepare the next Tic&Travail newsletter here.",
            visibility=Group.Visibility.PRIVATE,
            join_policy=Group.JoinPolicy.INVITE,
        )
        invitation = groups.create_invitation(people["julien"], private, days=7)
        groups.accept_invitation(people["nora"], invitation)

        now = timezone.now()
        bookmarks = []
        for n, (saver, url, title, tags, description, text, language) in enumerate(ITEMS):
            self.store_page(url, title, text, language)
            bookmark, _created = save_bookmark(
                people[saver],
                url,
                title=title,
                description=description,
                tags=tags,
                group=public,
                created_at=now - timedelta(days=len(ITEMS) - n, hours=n),
            )
            bookmarks.append(bookmark)

        # a personal bookmark and one in the private group
        url = "https://www.inria.fr/fr/travailleurs-du-clic-micro-travail"
        save_bookmark(people["nora"], url, title="À relire pour la lettre", group=private)
        save_bookmark(people["louis"], url, tags="à-lire", unread=True, private=True)

        self.annotate(people, bookmarks)

    @staticmethod
    def store_page(url, title, text, language):
        normalized = normalize_url(url)
        Page.objects.update_or_create(
            url_hash=url_key(normalized),
            defaults={
                "url": normalized,
                "title": title,
                "text": text,
                "language": language,
                "site_name": normalized.split("/")[2].removeprefix("www."),
                "fetch_status": Page.FetchStatus.OK,
                "http_status": 200,
                "final_url": normalized,
                "fetched_at": timezone.now(),
            },
        )

    @staticmethod
    def annotate(people, bookmarks):
        from annotations import services as annotations
        from annotations.models import Comment, Status

        for author, index, quote, note in HIGHLIGHTS:
            bookmark = bookmarks[index]
            text = bookmark.page.text
            start = text.index(quote)
            annotations.create_highlight(
                people[author],
                bookmark,
                exact=quote,
                prefix=text[max(0, start - 32) : start],
                suffix=text[start + len(quote) : start + len(quote) + 32],
                start=start,
                end=start + len(quote),
                note=note,
            )
        for author, index, body in COMMENTS:
            annotations.post_comment(people[author], body=body, bookmark=bookmarks[index])
        author, index, body = SPAM_COMMENT
        spam = annotations.post_comment(people[author], body=body, bookmark=bookmarks[index])
        if spam.status != Status.HELD:  # the demo must show the moderation queue at work
            Comment.objects.filter(pk=spam.pk).update(status=Status.HELD)
