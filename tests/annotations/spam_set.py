# ruff: noqa: E501 - one real-looking comment per line reads better than wrapped strings
"""A labelled set of real-looking comments from French and English groups: (text, is_spam).

Ham includes the hard cases: links to real sources, money and "crédit" in an ordinary sense,
enthusiastic punctuation, work and platform vocabulary (the reference group studies
micro-work). Spam includes the quiet kinds: one link and a lure, a shortener, a "recovery
expert", a loan offer without any link.
"""

SPAM_SET = [
    # --- spam, French ---
    (
        "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
        "par moi...",
        True,
    ),
    (
        "Super article. Pour les paris sportifs je recommande www.parisgagnants.bet, bonus de bienvenue 200€ !",
        True,
    ),
    (
        "Offre de prêt entre particuliers sérieux et rapide, taux de 2%, contactez-moi : pret.rapide@gmail.com",
        True,
    ),
    (
        "Gagnez de l'argent facilement depuis chez vous, 500€ par jour garanti ! Cliquez ici https://bit.ly/3xYzAb",
        True,
    ),
    ("Pharmacie en ligne pas cher: viagra et cialis sans ordonnance, livraison discrète", True),
    (
        "Merci pour le partage. Moi j'ai doublé mon capital avec ce robot de trading crypto, doublez votre mise: https://cryptoboost.xyz",
        True,
    ),
    (
        "Machines à sous et tours gratuits sur le meilleur casino en ligne francophone 👉 https://casino-royal-fr.online",
        True,
    ),
    (
        "Vous avez été arnaqué? Un hacker éthique peut récupérer vos fonds en quelques jours, écrivez sur WhatsApp +33 6 12 34 56 78",
        True,
    ),
    (
        "Besoin d'un crédit rapide sans justificatif ? Financement rapide en 24h, inscrivez-vous sur https://credit-express.site",
        True,
    ),
    ("Bon plan!!! Code promo BIENVENUE pour 100 tours gratuits, jackpot garanti!!!", True),
    (
        "Je gagne 3000 euros par mois avec les options binaires, contactez-moi sur Telegram @richesse_facile",
        True,
    ),
    (
        "Perte de poids rapide avec ces pilules naturelles, commandez sur https://minceur-pilules.shop",
        True,
    ),
    (
        "Très intéressant. Au fait, poker en ligne avec bonus sans dépôt ici : https://tinyurl.com/pokerfr",
        True,
    ),
    (
        "Revenu passif garanti: plateforme d'investissement bitcoin fiable, 20% par semaine, visitez https://btc-invest.top",
        True,
    ),
    ("ARGENT FACILE!!! GAGNEZ DES MILLIERS D'EUROS SANS EFFORT, CLIQUEZ ICI MAINTENANT", True),
    # --- spam, English ---
    (
        "Very nice post! Check out my site for the best online casino bonuses https://slots-heaven.win",
        True,
    ),
    (
        "Need a payday loan? No credit check, fast loan approval in 10 minutes: www.quickcashloans.xyz",
        True,
    ),
    ("Buy viagra online without prescription, best price guaranteed, order now!", True),
    (
        "I made $5,000 last week from home with this trading bot, DM me on WhatsApp +1 415 555 0199",
        True,
    ),
    (
        "Great article. Sports betting tips with 95% win rate at https://betmaster-tips.club, welcome bonus for new users",
        True,
    ),
    (
        "Lost your crypto to a scam? Contact recovery expert James at jamesrecovery@proton.me, he helped me recover your funds too",
        True,
    ),
    (
        "Cheap tramadol and xanax, online pharmacy, no prescription needed https://rxmeds-store.ru",
        True,
    ),
    (
        "Thanks for sharing! Double your bitcoin in 24 hours with our investment platform: https://bit.ly/2btcx",
        True,
    ),
    ("Free spins! Deposit bonus 300% on all slot machines, sign up now at luckyspin.casino", True),
    (
        "Earn money online easily, make money from home, click here: https://easy-cash.site/join",
        True,
    ),
    (
        "Interesting. By the way, best weight loss pills on the market, limited offer: https://slimfast-pills.shop",
        True,
    ),
    (
        "USDT airdrop is live! Claim your free tokens before it ends https://airdrop-claim.live",
        True,
    ),
    (
        "Bad credit? Quick loan offer with low interest rate of 3%, email loans.direct@outlook.com",
        True,
    ),
    ("Online poker and blackjack, jackpot every hour, visit https://royalpoker.vip now", True),
    (
        "Good read. I recommend this forex signal group, passive income guaranteed: https://t.me/forexkings",
        True,
    ),
    ("Awesome!!! You can win big at roulette tonight!!! best casino ever!!!", True),
    (
        "cheap cialis cheap levitra discount pills https://pharma-direct.icu https://pharma-direct.icu/order",
        True,
    ),
    # --- ham, French ---
    ("Très intéressant, merci pour le partage.", False),
    (
        "L'article montre bien comment les micro-travailleurs sont invisibilisés par les plateformes.",
        False,
    ),
    (
        "Voir aussi l'étude de la DARES sur le travail de plateforme : https://dares.travail-emploi.gouv.fr/publication/le-travail-de-plateforme",
        False,
    ),
    (
        "Je ne suis pas d'accord avec la conclusion : le crédit d'impôt ne compense pas la baisse des revenus des livreurs.",
        False,
    ),
    ("Quelqu'un a la version longue de ce rapport ? Le lien ne marche plus chez moi.", False),
    (
        "Passage clé : « les travailleurs du clic gagnent en moyenne moins de 2 € de l'heure ». À citer dans notre synthèse !",
        False,
    ),
    ("Merci ! Je l'ajoute à la bibliographie du séminaire de jeudi.", False),
    (
        "Le livre d'Antonio Casilli, « En attendant les robots », développe exactement ce point.",
        False,
    ),
    ("Attention, cet article date de 2019, les chiffres ont beaucoup changé depuis.", False),
    ("On pourrait en discuter à la prochaine réunion du groupe, qu'en pensez-vous ?", False),
    (
        "Bonne synthèse. Le parallèle avec le travail à la pièce du XIXe siècle est éclairant.",
        False,
    ),
    (
        "Les casinos en ligne sont justement un des secteurs qui recrutent le plus de modérateurs sous-payés, d'après l'enquête.",
        False,
    ),
    (
        "La traduction française est disponible ici : https://www.cairn.info/revue-reseaux-2020-4.htm",
        False,
    ),
    ("J'ai mis à jour les tags : travail, plateformes, sociologie.", False),
    ("Très bon article !! Merci beaucoup, ça m'aide pour mon mémoire.", False),
    (
        "Le prêt de livres entre bibliothèques universitaires pourrait aussi nous aider pour ce sujet.",
        False,
    ),
    # --- ham, English ---
    ("Very interesting and informative, thanks", False),
    (
        "Great piece on content moderators; the section on PTSD is hard to read but important.",
        False,
    ),
    (
        "See also the ILO report on digital labour platforms: https://www.ilo.org/global/research/global-reports/weso/2021",
        False,
    ),
    ("I think the author underestimates how much the pay varies between countries.", False),
    ("Does anyone have the PDF? The publisher's site is down for me.", False),
    ("Added this to our reading list for next week's session.", False),
    (
        "The paragraph about crypto mining farms using click-workers for captcha solving is fascinating.",
        False,
    ),
    (
        "Thanks! This pairs well with the Wired piece https://www.wired.com/story/amazon-mechanical-turk-workers/ and the Guardian follow-up.",
        False,
    ),
    ("Minor correction: the study was published in 2021, not 2020.", False),
    ("Wow!! Exactly what I was looking for, thank you so much!", False),
    ("The comparison with gig drivers taking payday advances is grim but well documented.", False),
    ("Could we tag this with 'methodology'? The survey design section is excellent.", False),
    (
        "I disagree: calling it 'ghost work' hides that these are real employment relationships.",
        False,
    ),
    ("Shared this with my students, they found the interviews very moving.", False),
    ("Good summary. Note the survey only covers workers in the US and India.", False),
    (
        "The link in the third footnote is dead, here is an archived copy: https://web.archive.org/web/2020/https://example.org/report",
        False,
    ),
]
