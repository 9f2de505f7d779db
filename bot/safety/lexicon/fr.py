"""French. Elisions are optional ("j'ai" and "jai" alike), accents folded."""

from bot.safety.rules import Lexicon

_MEDOCS = r"(?:medicaments|medocs|cachets|pilules|comprimes|somniferes|antidepresseurs|gelules|doliprane|paracetamol|xanax|lexomil)"
_PARTENAIRE = r"(?:mon (?:copain|mari|conjoint|compagnon|ex|pere|beau pere|frere|oncle|coloc)|ma (?:copine|femme|conjointe|compagne|mere|belle mere|soeur))"
_IL = rf"(?:il|elle|{_PARTENAIRE})"

LEXICON = Lexicon(
    lang="fr",
    negators=["pas", "jamais", "ne", "aucun", "aucune", "personne", "ni"],
    rules=[
        ("medical", 0.6, r"crise cardiaque|infarctus|avc"),
        (
            "suicidal",
            1.5,
            r"(?:tout le monde|ma famille|ils|le monde) (?:serait|seraient|irait|iraient) (?:mieux|plus heureux|plus tranquille)(?: \w+){0,2} (?:sans moi|si je n'?etais (?:plus )?la|si je disparaissais|si je mourais)",
        ),
        (
            "suicidal",
            1.2,
            r"personne ne (?:remarquerait|verrait|me regretterait|me manquerait|s'?en rendrait compte)|si je disparaissais",
        ),
        (
            "suicidal",
            1.2,
            r"(?:plus|aucune|pas de|plus aucune) (?:raison|envie) de (?:vivre|continuer)|(?:fatiguee?|epuisee?|marre) de (?:vivre|la vie|exister)",
        ),
        (
            "suicidal",
            1.0,
            r"m'?endormir (?:pour toujours|a jamais|et ne (?:jamais|plus) me reveiller)|dormir pour toujours|disparaitre (?:pour toujours|a jamais)|quand je ne serai plus la",
        ),
        (
            "suicidal",
            1.5,
            r"(?:vais|veux|voudrais|envie de) (?:sauter|me jeter) (?:du|d'?un|de la|sous|par la) (?:pont|toit|immeuble|balcon|fenetre|train|metro|falaise)",
        ),
        (
            "overdose",
            1.5,
            r"(?:a|ai) (?:avale|bu|pris) (?:de la |des |de l'?)?(?:javel|eau de javel|produits menagers|produit menager|detergent|poison)",
        ),
        (
            "abuse",
            1.2,
            r"(?:m'?a|il m'?a|elle m'?a) (?:poussee?|jetee?) (?:dans|contre|par terre|du haut)|(?:frappe|bat|tabasse) (?:ma mere|ma maman|ma soeur|mon frere|ma femme|mon enfant)",
        ),
        ("self-harm", 1.2, r"je me (?:fais|suis fait) du mal|me faire du mal pour"),
        (
            "medical",
            1.5,
            r"(?:je fais|il fait|elle fait|je suis en train de faire) (?:une crise cardiaque|un infarctus|un avc|une crise d'?epilepsie)",
        ),
        (
            "symptom",
            0.4,
            r"depuis (?:\d+|une|une demi|vingt|dix) (?:minutes|heure|heures)|la nausee|des vertiges|je transpire",
        ),
        (
            "suicidal",
            1.2,
            r"(?:veux|voudrais|vais|envie de|besoin de|pense a){g} (?:mourir|me tuer|me suicider|disparaitre pour toujours|ne plus me reveiller|en finir avec la vie)(?! de (?:rire|faim|froid|chaud|honte|ennui))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:me suicider|me tuer|me foutre en l'?air|mettre fin a (?:mes jours|ma vie)|en finir (?:avec la vie|avec tout|une bonne fois|ce soir|pour de bon)|je vais me tuer|je veux me tuer|(?:suis|me sens) suicidaire|(?:pensees|idees) suicidaires|tentative de suicide|pense au suicide)(?! (?:au travail|a la tache|de rire))",
        ),
        (
            "suicidal",
            1.0,
            r"(?:envie|besoin) d'?en finir(?! avec (?:ce|cette|ces|mon|ma|mes|le|les|son|sa|ton|ta) )",
        ),
        (
            "suicidal",
            1.5,
            r"(?:je veux|j'?ai envie de|envie de|je voudrais|j'?aimerais) (?:juste )?(?:mourir|crever|disparaitre pour toujours|ne plus me reveiller|ne plus exister|plus exister|ne plus etre la)(?! de (?:rire|faim|froid|chaud|honte|ennui))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:je )?(?:ne )?(?:veux|voudrais) plus (?:vivre|exister|me reveiller|etre la|etre en vie)|plus envie de vivre|(?:marre|assez) de (?:vivre|la vie|exister)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:j'?espere|pourvu) (?:ne pas|que je ne) me reveill\w*|m'?endormir et ne (?:jamais|plus) me reveiller|(?:j'?aimerais|je voudrais) etre mort[e]?|(?:mieux|plus heureux|plus simple) sans moi|si je n'?etais (?:plus )?la",
        ),
        (
            "suicidal",
            1.2,
            r"(?:aucune|plus aucune|pas de|plus de) raison de vivre|la vie n'?a (?:plus )?(?:aucun )?sens|(?:je ne vois|je vois) (?:plus )?(?:aucun|pas le|pas de) (?:interet|sens) a (?:vivre|la vie|continuer)",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:avaler|prendre|je vais prendre|je vais avaler) (?:toute la boite de|tous mes|toutes mes|tous les|toutes les|une boite de|la boite de)(?: mes)? {_MEDOCS}|{_MEDOCS} (?:sont )?(?:prets|pretes|alignes|alignees|de cote|comptes)|(?:garde|stocke|accumule|compte) (?:tous )?(?:mes |des |les )?{_MEDOCS}",
        ),
        (
            "suicidal",
            1.5,
            r"(?:sauter|me jeter) (?:du|d'?un|de la|sous|par la|depuis le|du haut d'?un) ?(?:pont|toit|immeuble|balcon|fenetre|train|metro|falaise)",
        ),
        (
            "suicidal",
            1.2,
            r"lettre d'?adieu|mot d'?adieu|mon dernier message|je vous dis adieu|dire adieu a tout le monde",
        ),
        (
            "suicidal",
            1.0,
            r"(?:je suis|je ne suis qu'?) un (?:fardeau|poids) pour|personne ne (?:me )?regretter\w*|personne ne remarquerait",
        ),
        (
            "suicidal",
            1.5,
            rf"{_IL} (?:veut|va|dit qu'?(?:il|elle) va|dit qu'?(?:il|elle) veut) se (?:tuer|suicider|foutre en l'?air)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:me scarifier|je me scarifie|scarifie[e]?|scarification|je me suis (?:encore )?(?:scarifi\w*|coupe[e]?|mutile[e]?|brule[e]?|fait du mal)|me mutiler|automutil\w*|me faire du mal|je me fais du mal|je me coupe|me couper (?:les|encore))(?! (?:les cheveux|les ongles|en cuisinant|avec une feuille|en epluchant|le doigt))",
        ),
        (
            "self-harm",
            1.2,
            r"(?:coupe[e]?|brule[e]?|entaille[e]?) (?:les |mes )?(?:bras|poignets|cuisses|jambes) (?:expres|volontairement|encore)|expres (?:encore|pour)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:j'?ai|il a|elle a) (?:pris|avale) (?:tous mes|toutes mes|toute la boite|une boite|trop de|beaucoup de|\d\d+|vingt|trente)(?: \w+){{0,2}} {_MEDOCS}|(?:fait|faire) une overdose|surdose",
        ),
        (
            "abuse",
            1.5,
            r"(?:menace|menacee|menacer|menacait) de (?:me tuer|me frapper|me faire du mal)|(?:il|elle) (?:m'?a dit|dit) qu'?(?:il|elle) (?:va|allait) me tuer|va me tuer si",
        ),
        (
            "abuse",
            1.2,
            rf"{_IL} (?:m'?a|me) (?:frappe[e]?|frappe|battu[e]?|bat|etrangle[e]?|etrangle|viole[e]?|pousse[e]?|gifle[e]?|tabasse[e]?|agresse[e]?)|(?:il|elle) me frappe|(?:j'?ai ete|je me suis fait) (?:frappe[e]?|violee?|agresse[e]?|battu[e]?)",
        ),
        (
            "abuse",
            1.5,
            r"(?:m'?a|a) (?:lance|jete) (?:une|un|la|le) (?:chaise|bouteille|verre|assiette|couteau|lampe)",
        ),
        (
            "abuse",
            1.0,
            r"(?:m'?a|me) (?:enferme[e]?)|ne me laisse pas (?:sortir|partir)|peur (?:pour ma vie|de lui|d'?elle|de rentrer)",
        ),
        (
            "danger",
            0.6,
            r"(?:je me cache|cachee?|enferme[e]? dans)|(?:tape|frappe|cogne) (?:a|contre) la porte|(?:ivre|bourre|saoul)|j'?ai (?:tres |trop )?peur|devant (?:chez moi|ma porte|l'?immeuble)",
        ),
        (
            "medical",
            0.8,
            r"douleur (?:forte |intense |horrible )?(?:a la|dans la|au niveau de la) poitrine|mal (?:a la|dans la) poitrine|oppression (?:thoracique|dans la poitrine)|serrement (?:a la|dans la) poitrine",
        ),
        (
            "medical",
            1.0,
            r"(?:je n'?arrive pas|j'?arrive pas|je ne peux pas|je peux pas|il n'?arrive pas|elle n'?arrive pas) a respirer|(?:je|il|elle) (?:ne )?respire (?:plus|pas|mal)|j'?etouffe",
        ),
        (
            "medical",
            1.5,
            r"convulse|(?:il|elle|mon \w+|ma \w+) (?:est )?(?:inconscient[e]?|ne reagit (?:plus|pas)|ne se reveille pas|a perdu connaissance|s'?est effondre[e]?)",
        ),
        (
            "medical",
            1.0,
            r"(?:visage|bouche) (?:qui )?(?:tombe|paralyse[e]?|de travers)|(?:il|elle) (?:parle mal|articule mal|bafouille)|ne (?:peut|peux) plus bouger (?:le|son|mon) (?:bras|jambe)",
        ),
        (
            "medical",
            1.2,
            r"(?:ca |ça )?(?:ne )?s'?arrete pas de saigner|saigne (?:beaucoup|enormement|abondamment)|beaucoup de sang",
        ),
        (
            "symptom",
            0.5,
            r"bras (?:engourdi|gauche engourdi|qui fourmille)|sueurs? froides?|je transpire|vertige|nausee|je fais quoi|qu'?est.ce que je fais|aide",
        ),
        (
            "distress",
            0.5,
            r"je n'?en peux plus|j'?en peux plus|je ne tiens plus|plus la force|aucune issue|ce soir",
        ),
    ],
    laughter=[
        r"(?:ha){2,}\w*|(?:hi){2,}|mdr+|ptdr+|lol\w*|xd+",
        "😂",
        "🤣",
        "😆",
        "💀",
        r"je rigole|c'?est une blague",
    ],
    past=[
        r"l'?annee derniere|l'?an dernier|il y a (?:\d+|un|deux|trois|quelques|plusieurs) (?:ans|an|mois)|quand j'?etais (?:petit|petite|jeune|ado|enfant)|avant je|autrefois|est mort[e]? (?:de|d'?un|il y a|l'?an)"
    ],
    recent=[r"encore|ce soir|aujourd'?hui|hier|maintenant|tout de suite|a l'?instant"],
    settled=[
        r"rien de grave|pas grave|ca va (?:beaucoup )?mieux|je vais (?:bien|mieux) (?:maintenant|aujourd'?hui)|(?:aujourd'?hui|maintenant) je (?:suis|vais) (?:heureuse?|bien)"
    ],
    fiction=[
        r"(?:roman|livre|film|serie|episode|personnage|heros|heroine|jeu|chanson|histoire|actualites|infos|article|journal)"
    ],
    figurative=[
        r"mort[e]?s? de (?:fatigue|rire|faim|froid|chaud|honte|ennui|peur)|mourir de (?:rire|faim|froid|chaud|honte|ennui)|morte? de rire",
        r"(?:ce|cette|le|la|les|mon|ma) \w+ (?:me tue|va me tuer|me tuent)|ca me tue|tu me tues",
        r"(?:telephone|portable|batterie|ordi|voiture) (?:est )?(?:mort|morte|a lache)",
        r"(?:ma mere|mon pere|mes parents|mon patron|ma prof)(?: \w+){0,2} va me tuer",
    ],
)
