"""Dutch (and Flemish)."""

from bot.safety.rules import Lexicon

_PILLEN = r"(?:pillen|tabletten|medicijnen|slaappillen|pijnstillers|antidepressiva|paracetamols?)"
_PARTNER = (
    r"(?:mijn (?:vriend|man|partner|ex|vader|pa|stiefvader|broer|oom|vriendin|vrouw|moeder|ma))"
)
_HIJ = rf"(?:hij|zij|ze|{_PARTNER})"

LEXICON = Lexicon(
    lang="nl",
    negators=["niet", "nooit", "geen", "niemand", "nergens"],
    rules=[
        ("medical", 0.6, r"hartaanval|hartinfarct|beroerte|herseninfarct"),
        (
            "suicidal",
            1.5,
            r"(?:het zou|zou het) (?:voor iedereen|voor mijn familie|voor jullie) (?:beter|makkelijker|fijner) zijn (?:als|wanneer) ik (?:er )?niet meer (?:was|ben|zou zijn|leefde)|beter (?:als|wanneer) ik er niet meer (?:was|ben)",
        ),
        (
            "suicidal",
            1.2,
            r"niemand zou (?:me|mij|het) (?:missen|merken)|als ik er niet meer ben|(?:moe|klaar) (?:van|met) het leven|levensmoe",
        ),
        (
            "suicidal",
            1.0,
            r"(?:ik zie|zie) geen uitweg meer|(?:voor altijd|eeuwig) (?:slapen|verdwijnen)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:ik )?(?:snijd|snij|kras|brand|sla) mezelf|mezelf (?:snijden|krassen|pijn doen|verwonden)",
        ),
        (
            "overdose",
            1.5,
            r"(?:een hele|de hele|twee|drie) (?:strip|strips|doos|potje) (?:\w+ )?(?:geslikt|ingenomen|genomen|opgegeten)",
        ),
        (
            "medical",
            1.5,
            r"flauwgevallen(?: en)? (?:reageert niet|wordt niet wakker|ademt niet)|reageert niet meer|(?:ik denk dat ik|volgens mij heb ik) een (?:hartaanval|beroerte) (?:heb|krijg)",
        ),
        (
            "abuse",
            1.2,
            r"(?:dreigt|dreigde|heeft gedreigd) (?:me|mij) (?:te vermoorden|dood te maken|iets aan te doen)|(?:slaat|sloeg|schopt) (?:mijn moeder|mijn zus|mijn broer|mijn vrouw|mijn kind)",
        ),
        (
            "overdose",
            1.5,
            r"(?:al mijn|alle|al die|een hele strip|een hele doos) (?:pillen|tabletten|medicijnen|slaappillen|pijnstillers) (?:ingenomen|geslikt|genomen)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:wil|zou willen|ga|denk eraan om|denk er steeds aan om){g} (?:dood|sterven|mezelf van kant (?:te )?maken|er niet meer zijn|niet meer wakker worden|er een (?:eind|einde) aan (?:te )?maken)",
        ),
        ("suicidal", 1.0, r"zelfmoord\w*|suicidaal"),
        (
            "suicidal",
            1.5,
            r"(?:zelfmoord (?:plegen|te plegen)|(?:denk|dacht|denken) aan zelfmoord|zelfmoordgedachten|mezelf (?:van kant maken|doden|ombrengen|iets aandoen|wat aandoen|ophangen)|mijn leven (?:beeindigen|nemen)|er een (?:eind|einde) aan (?:maken|te maken)|uit het leven stappen)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:ik )?(?:wil|zou willen){g} (?:dood|sterven|dood zijn|er niet meer zijn|niet meer leven|niet meer wakker worden|verdwijnen voor altijd)(?! (?:van|aan) (?:de|het))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:wil|zou) niet meer (?:leven|wakker worden|bestaan|hier zijn|verder)|geen zin meer (?:om te leven|in het leven|in leven)|levensmoe",
        ),
        (
            "suicidal",
            1.5,
            r"(?:hoop|hopelijk) (?:ik )?(?:dat ik )?niet meer wakker (?:word|te worden)|inslapen en niet meer wakker worden|was ik maar dood|ik wou dat ik dood was",
        ),
        (
            "suicidal",
            1.5,
            r"(?:iedereen|jullie|mijn familie) (?:is|zijn|zou|zouden|was|waren) (?:beter af|beter|gelukkiger) zonder mij|beter (?:af )?zonder mij",
        ),
        (
            "suicidal",
            1.2,
            r"(?:geen|niks|niets) (?:reden|zin) (?:meer )?om (?:te leven|verder te gaan|door te gaan)|het leven heeft geen zin|heeft (?:allemaal )?geen zin meer",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:alle|de hele doos|een hele doos|al mijn|al die)(?: mijn)? {_PILLEN} (?:innemen|slikken|nemen)|{_PILLEN} (?:liggen klaar|klaargelegd|gespaard|verzameld|geteld)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:springen|spring) (?:van|vanaf|voor) (?:de|een|het) (?:brug|dak|flat|balkon|trein|metro)|voor (?:de|een) trein (?:springen|gaan liggen)",
        ),
        (
            "suicidal",
            1.2,
            r"afscheidsbrief|mijn laatste bericht|afscheid nemen van iedereen|voor altijd vaarwel",
        ),
        (
            "suicidal",
            1.0,
            r"(?:ik ben|ben) (?:alleen maar )?een (?:last|blok aan het been) voor|niemand zou me missen",
        ),
        (
            "suicidal",
            1.5,
            rf"{_HIJ} (?:wil|gaat|zegt dat (?:hij|ze|zij) wil) (?:zichzelf (?:van kant maken|doden|iets aandoen)|zelfmoord plegen|er een eind aan maken)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:mezelf (?:weer |opnieuw |vaak )?(?:snijden|gesneden|krassen|gekrast|pijn doen|pijn gedaan|verwonden|verwond|beschadigen|beschadigd|branden|verbranden|gebrand)|ik snij mezelf|ik kras|zelfbeschadig\w*|zelfverwond\w*|automutil\w*)",
        ),
        (
            "self-harm",
            1.2,
            r"(?:in mijn|mijn) (?:armen|polsen|benen|dijen) (?:gesneden|gekrast|gebrand)|expres (?:weer|opnieuw)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:heb|heeft) (?:alle|te veel|een hele doos|de hele doos|\d\d+|twintig|dertig)(?: \w+){{0,2}} {_PILLEN} (?:ingenomen|geslikt|genomen)|overdosis",
        ),
        (
            "abuse",
            1.5,
            r"(?:gedreigd|dreigt|bedreigd) (?:om )?(?:me|mij) (?:te vermoorden|dood te maken|te slaan)|(?:vermoordt|vermoord) me als|(?:hij|ze|zij) (?:gaat|zal) me (?:vermoorden|doodmaken)",
        ),
        (
            "abuse",
            1.2,
            rf"{_HIJ} (?:slaat|sloeg|schopt|schopte|wurgt|wurgde|verkrachtte|duwde) (?:me|mij)|(?:heeft|hebben) (?:me|mij) (?:geslagen|geschopt|gewurgd|verkracht|mishandeld)|(?:word|werd) (?:mishandeld|geslagen|verkracht)",
        ),
        (
            "abuse",
            1.5,
            r"(?:gooide|smeet|gooit) (?:een|de|het) (?:stoel|fles|glas|bord|mes|lamp)(?: \w+)? (?:naar me|naar mij|naar mijn hoofd)",
        ),
        (
            "abuse",
            1.0,
            r"(?:heeft|houdt) (?:me|mij) opgesloten|laat me niet (?:gaan|weg|naar buiten)|bang (?:voor mijn leven|voor hem|voor haar|om naar huis)",
        ),
        (
            "danger",
            0.6,
            r"(?:verstop me|verstopt|verstopte me|opgesloten in)|(?:bonkt|slaat|beukt|schopt) (?:op|tegen) de deur|dronken|(?:ik ben|ben) (?:zo )?bang|voor de deur",
        ),
        (
            "medical",
            0.8,
            r"pijn op (?:de|mijn) borst|(?:druk|beklemming) op (?:de|mijn) borst|borstpijn",
        ),
        (
            "medical",
            1.0,
            r"(?:kan|kon) (?:niet|nauwelijks) (?:meer )?ademen|krijg geen (?:lucht|adem)|ademt niet",
        ),
        (
            "medical",
            1.5,
            r"epileptische aanval|stuipen|(?:is )?bewusteloos|reageert niet(?: meer)?|wordt niet (?:meer )?wakker|in elkaar gezakt",
        ),
        (
            "medical",
            1.0,
            r"(?:scheve mond|gezicht hangt|mondhoek hangt)|(?:praat|spreekt) (?:onduidelijk|raar|met dubbele tong)|kan (?:zijn|haar|mijn) (?:arm|been) niet bewegen",
        ),
        (
            "medical",
            1.2,
            r"(?:blijft|stopt niet met) bloeden|bloedt (?:heel )?(?:erg|veel)|heel veel bloed",
        ),
        (
            "symptom",
            0.5,
            r"arm (?:is )?(?:gevoelloos|tintelt|doof|slaapt)|koud zweet|zweten|duizelig|misselijk|wat moet ik doen|help",
        ),
        ("distress", 0.5, r"ik kan niet meer|ik trek het niet meer|geen uitweg|vannacht"),
    ],
    laughter=[r"(?:ha){2,}\w*|(?:hi){2,}|lol\w*|xd+", "😂", "🤣", "😆", "💀", r"grapje|geintje"],
    past=[
        r"vorig jaar|(?:\d+|een|twee|drie|paar|jaren|veel) (?:jaar|jaren|maanden) geleden|toen ik (?:klein|jong|kind|tiener|\d+) was|vroeger|(?:is|was) (?:overleden|gestorven) (?:aan|in|vorig)"
    ],
    recent=[r"weer|opnieuw|vanavond|vannacht|vandaag|nu|gisteren|net|nog steeds"],
    settled=[
        r"valt mee|niets ernstigs|nu gaat het (?:heel |al jaren )?goed|het gaat (?:nu )?(?:weer )?goed met me"
    ],
    fiction=[
        r"(?:roman|boek|film|serie|aflevering|personage|held|heldin|spel|game|liedje|verhaal|nieuws|artikel|krant)"
    ],
    figurative=[
        r"(?:ga|gaat|ging) dood van (?:de|het)? ?(?:hitte|warmte|kou|honger|verveling|lachen|slaap|stress)|doodmoe|dood van het lachen|lach me dood|lachen me dood",
        r"(?:telefoon|mobiel|batterij|laptop|auto|accu) (?:is |was )?(?:dood|leeg|overleden)",
        r"(?:mijn moeder|mijn vader|mijn ouders|mijn baas)(?: \w+){0,2} (?:vermoordt|gaat) me|(?:deze|die|dit) \w+ (?:maakt|sloopt) me (?:kapot|dood)",
    ],
)
