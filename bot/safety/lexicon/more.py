"""More languages, with the clearest phrasings only: suicidal thoughts, self-harm, an
overdose, violence against the writer and the plainest medical emergencies. Enough to
notice someone writing in their own language; replies fall back to English."""

from bot.safety.rules import Lexicon


def _lex(
    lang: str, negators: list[str], rules: list[tuple[str, float, str]], **kw: object
) -> Lexicon:
    return Lexicon(lang=lang, negators=negators, rules=rules, **kw)  # type: ignore[arg-type]


_LAUGH = [r"(?:ha){2,}\w*|lol\w*|xd+", "😂", "🤣", "😆", "💀"]
# The past and stories, for the languages the fresh evaluation set covers: "I used to",
# a film, the news (also read by their concepts, bot/safety/lexicon/concepts_more.py).
_PAST = {
    "pl": [r"kiedys|od lat|w zeszlym roku|lata temu"],
    "tr": [r"eskiden|artik iyiyim|yillar once|gecen yil"],
    "ru": [r"раньше|в прошлом|несколько лет|лет назад|в детстве|в прошлом году"],
    "ja": [r"昔|以前|かつて|今は元気"],
}
_SETTLED = {
    "pl": [r"nic powaznego|teraz (?:jest|czuje sie) (?:dobrze|lepiej)"],
    "tr": [r"artik iyiyim|simdi iyiyim|ciddi bir sey yok"],
    "ru": [r"ничего страшного|(?:сейчас|теперь) (?:все|я) (?:хорошо|в порядке)"],
    "ja": [r"今は(?:元気|幸せ|大丈夫)|大したことない"],
}
_FICTION = {
    "pl": [r"film\w*|serial\w*|ksiazk\w*|wiadomosci\w*|bohater\w*"],
    "tr": [r"film\w*|dizi\w*|kitap\w*|haber\w*|oyun\w*|roman\w*"],
    "ru": [r"фильм\w*|сериал\w*|книг\w*|новост\w*|рассказ\w*"],
    "ja": [r"ニュース|映画|ドラマ|漫画|小説|アニメ|ゲーム"],
}

MORE = [
    _lex(
        "pl",
        ["nie", "nigdy"],
        [
            (
                "suicidal",
                1.5,
                r"zabic sie|zabije sie|sie zabic|odebrac sobie zycie|popelnic samobojstwo|mysli samobojcze|mysle o samobojstwie|skonczyc ze soba|skoncze ze soba",
            ),
            (
                "suicidal",
                1.5,
                r"chce umrzec|chcialbym umrzec|chcialabym umrzec|nie chce (?:juz )?zyc|nie chce sie (?:juz )?obudzic|wszystkim bedzie lepiej beze mnie",
            ),
            (
                "self-harm",
                1.5,
                r"tne sie|pocielam sie|pocialem sie|samookalecz\w*|kaleczyc sie|robie sobie krzywde",
            ),
            (
                "overdose",
                1.5,
                r"przedawkowal\w*|lyknelam wszystkie|lyknalem wszystkie|wzielam wszystkie tabletki|wzialem wszystkie tabletki",
            ),
            (
                "abuse",
                1.2,
                r"(?:grozil|grozi|grozila),? ze mnie zabije|bije mnie|pobil mnie|pobila mnie|dusil mnie",
            ),
            (
                "medical",
                1.0,
                r"bol w klatce piersiowej|nie moge oddychac|nie oddycha|zawal|udar|stracil przytomnosc|stracila przytomnosc",
            ),
        ],
        past=_PAST["pl"],
        fiction=_FICTION["pl"],
        settled=_SETTLED["pl"],
        laughter=_LAUGH,
    ),
    _lex(
        "sv",
        ["inte", "aldrig", "ej"],
        [
            (
                "suicidal",
                1.5,
                r"ta livet av mig|ta mitt (?:eget )?liv|doda mig sjalv|begå självmord|bega sjalvmord|sjalvmordstankar|tankar pa sjalvmord|vill do|vill inte leva (?:langre|mer)|vill inte vakna",
            ),
            ("self-harm", 1.5, r"skar mig|skara mig|skadar mig sjalv|sjalvskad\w*"),
            ("overdose", 1.5, r"overdos|tog alla (?:mina )?(?:tabletter|piller)"),
            ("abuse", 1.2, r"hotat att doda mig|hotar att doda mig|slar mig|slog mig|stryper mig"),
            (
                "medical",
                1.0,
                r"ont i brostet|brostsmarta|kan inte andas|andas inte|hjartinfarkt|medvetslos",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "da",
        ["ikke", "aldrig"],
        [
            (
                "suicidal",
                1.5,
                r"tage mit (?:eget )?liv|slaa mig selv ihjel|sla mig selv ihjel|begaa selvmord|bega selvmord|selvmordstanker|tanker om selvmord|taenker pa selvmord|vil do|vil ikke leve (?:mere|laengere)|vil ikke vaagne",
            ),
            ("self-harm", 1.5, r"skaerer i mig selv|skar i mig selv|selvskad\w*"),
            ("overdose", 1.5, r"overdosis|tog alle (?:mine )?(?:piller|tabletter)"),
            ("abuse", 1.2, r"truet med at slaa mig ihjel|slaar mig|slog mig"),
            (
                "medical",
                1.0,
                r"smerter i brystet|kan ikke traekke vejret|traekker ikke vejret|hjerteanfald|blodprop|bevidstlos",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "nb",
        ["ikke", "aldri"],
        [
            (
                "suicidal",
                1.5,
                r"ta livet mitt|ta mitt eget liv|ta livet av meg|drepe meg selv|selvmordstanker|vil do|vil ikke leve (?:mer|lenger)|vil ikke vaakne|vil ikke vakne",
            ),
            ("self-harm", 1.5, r"kutter meg|kuttet meg|skader meg selv|selvskad\w*"),
            ("overdose", 1.5, r"tok alle (?:pillene|tablettene)"),
            ("abuse", 1.2, r"truet med a drepe meg|slar meg|slo meg"),
            (
                "medical",
                1.0,
                r"brystsmerter|klarer ikke a puste|puster ikke|hjerteinfarkt|bevisstlos",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "fi",
        ["en", "ei", "ala"],
        [
            (
                "suicidal",
                1.5,
                r"tappaa itseni|tapan itseni|itsemurha\w*|haluan kuolla|en halua elaa|en halua herata",
            ),
            ("self-harm", 1.5, r"viillan itseani|viilsin itseani|viiltel\w*|satutan itseani"),
            (
                "medical",
                1.0,
                r"rintakipu|en saa henkea|ei hengita|sydankohtaus|aivoinfarkti|tajuton",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "cs",
        ["ne", "nikdy", "nechci"],
        [
            (
                "suicidal",
                1.5,
                r"zabit se|zabiju se|sebevrazd\w*|chci umrit|nechci (?:uz )?zit|nechci se (?:uz )?probudit|vzit si zivot",
            ),
            ("self-harm", 1.5, r"rezu se|rizla jsem se|rizl jsem se|sebeposkoz\w*"),
            ("overdose", 1.5, r"predavkov\w*|spolkla jsem vsechny|spolkl jsem vsechny"),
            ("abuse", 1.2, r"vyhrozoval,? ze me zabije|bije me|zbil me"),
            ("medical", 1.0, r"bolest na hrudi|nemuzu dychat|nedycha|infarkt|mrtvice|bezvedomi"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "ro",
        ["nu", "niciodata"],
        [
            (
                "suicidal",
                1.5,
                r"sa ma sinucid|ma sinucid|sinucidere|sa ma omor|vreau sa mor|nu mai vreau sa traiesc|sa-mi iau viata",
            ),
            ("self-harm", 1.5, r"ma tai|m-am taiat|ma autoranesc|autovatam\w*"),
            ("overdose", 1.5, r"supradoza|am luat toate pastilele"),
            ("abuse", 1.2, r"a amenintat ca ma omoara|ma bate|m-a batut"),
            (
                "medical",
                1.0,
                r"durere in piept|nu pot respira|nu respira|infarct|accident vascular",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "hu",
        ["nem", "soha", "sose"],
        [
            (
                "suicidal",
                1.5,
                r"megolom magam|ongyilkos\w*|meg akarok halni|nem akarok (?:mar )?elni|nem akarok felebredni",
            ),
            ("self-harm", 1.5, r"megvagom magam|vagdos\w*|onsert\w*"),
            (
                "medical",
                1.0,
                r"mellkasi fajdalom|nem kapok levegot|nem lelegzik|infarktus|eszmeletlen",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "el",
        ["δεν", "μην", "ποτε"],
        [
            (
                "suicidal",
                1.5,
                r"αυτοκτον\w*|να σκοτωσω τον εαυτο μου|θελω να πεθανω|δεν θελω να ζω|δε θελω να ζω|δεν θελω να ξυπνησω",
            ),
            ("self-harm", 1.5, r"κοβω τον εαυτο μου|αυτοτραυματισ\w*"),
            (
                "medical",
                1.0,
                r"πονος στο στηθος|δεν μπορω να αναπνευσω|δεν αναπνεει|εμφραγμα|εγκεφαλικο",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "tr",
        ["degil", "asla", "hic"],
        [
            (
                "suicidal",
                1.5,
                r"kendimi oldur\w*|intihar\w*|olmek istiyorum|yasamak istemiyorum|uyanmak istemiyorum|canima kiy\w*|hayatima son ver\w*",
            ),
            ("self-harm", 1.5, r"kendimi kes\w*|kendime zarar ver\w*"),
            (
                "overdose",
                1.5,
                r"asiri doz|butun haplari (?:ictim|aldim)|tum haplari (?:ictim|aldim)",
            ),
            ("abuse", 1.2, r"beni oldurmekle tehdit|beni dovuyor|beni dovdu|beni bogmaya"),
            (
                "medical",
                1.0,
                r"gogsum(?:de)? agri|gogus agrisi|nefes alamiyorum|nefes almiyor|kalp krizi|inme|bilincini kaybetti",
            ),
        ],
        past=_PAST["tr"],
        fiction=_FICTION["tr"],
        settled=_SETTLED["tr"],
        laughter=_LAUGH,
    ),
    _lex(
        "ru",
        ["не", "никогда", "нет"],
        [
            (
                "suicidal",
                1.5,
                r"убить себя|убью себя|покончить с собой|покончу с собой|самоубийств\w*|суицид\w*|хочу умереть|не хочу (?:больше |уже )?жить|не хочу просыпаться|лучше бы я умер\w*|всем будет лучше без меня",
            ),
            (
                "self-harm",
                1.5,
                r"режу себя|порезала себя|порезал себя|режу руки|селфхарм|самоповрежд\w*",
            ),
            (
                "overdose",
                1.5,
                r"передозировк\w*|выпила все таблетки|выпил все таблетки|наглоталась таблеток|наглотался таблеток",
            ),
            (
                "abuse",
                1.2,
                r"угрожает убить меня|угрожал убить меня|он меня бьет|избил меня|бьет меня|душил меня",
            ),
            ("medical", 1.0, r"боль в груди|не могу дышать|не дышит|инфаркт|инсульт|без сознания"),
        ],
        past=_PAST["ru"],
        fiction=_FICTION["ru"],
        settled=_SETTLED["ru"],
        laughter=[*_LAUGH, r"ахах\w*|хаха\w*"],
    ),
    _lex(
        "uk",
        ["не", "ніколи", "ні"],
        [
            (
                "suicidal",
                1.5,
                r"вбити себе|вб'ю себе|покінчити з собою|покінчу з собою|самогубств\w*|суїцид\w*|хочу померти|не хочу жити|не хочу прокидатися",
            ),
            ("self-harm", 1.5, r"ріжу себе|порізала себе|порізав себе|самоушкодж\w*"),
            ("abuse", 1.2, r"погрожує вбити мене|погрожував вбити мене|б'є мене|побив мене"),
            (
                "medical",
                1.0,
                r"біль у грудях|не можу дихати|не дихає|інфаркт|інсульт|без свідомості",
            ),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "ca",
        ["no", "mai"],
        [
            (
                "suicidal",
                1.5,
                r"matar-me|suicidar-me|vull morir|no vull viure|treure'?m la vida|pensaments suicides",
            ),
            ("self-harm", 1.5, r"tallar-me|em vaig tallar|autolesi\w*"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "id",
        ["tidak", "gak", "nggak", "ga", "bukan", "jangan"],
        [
            (
                "suicidal",
                1.5,
                r"bunuh diri|ingin mati|mau mati|pengen mati|pengin mati|ingin mengakhiri hidup|mengakhiri hidupku|tidak ingin hidup lagi|gak mau hidup lagi|nggak mau hidup lagi|ga mau hidup lagi",
            ),
            ("self-harm", 1.5, r"menyakiti diri\w*|melukai diri\w*|menyayat tangan\w*"),
            ("overdose", 1.5, r"overdosis|minum semua obat\w*"),
            (
                "abuse",
                1.2,
                r"mengancam akan membunuhku|mengancam membunuh saya|memukul(?:ku| saya)|dipukul(?:i)? (?:suami|pacar)",
            ),
            (
                "medical",
                1.0,
                r"nyeri dada|dada (?:saya |ku )?sakit|tidak bisa bernapas|gak bisa napas|sesak napas|serangan jantung|pingsan",
            ),
        ],
        laughter=[*_LAUGH, r"wkwk\w*"],
    ),
    _lex(
        "tl",
        ["hindi", "di"],
        [
            (
                "suicidal",
                1.5,
                r"magpakamatay|papatayin ko ang sarili ko|gusto ko nang mamatay|gusto kong mamatay|ayoko nang mabuhay|ayaw ko nang mabuhay",
            ),
            ("self-harm", 1.5, r"sinusugatan ko ang sarili ko|naglaslas|maglaslas"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "vi",
        ["khong", "chang", "dung"],
        [
            ("suicidal", 1.5, r"tu tu|tu sat|muon chet|khong muon song|ket lieu cuoc doi"),
            ("self-harm", 1.5, r"tu lam hai ban than|rach tay"),
            ("medical", 1.0, r"dau nguc|khong tho duoc|dot quy|nhoi mau co tim|bat tinh"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "sw",
        ["si", "sitaki"],
        [
            ("suicidal", 1.5, r"kujiua|nataka kufa|nitajiua|sitaki kuishi"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "hi",
        ["नहीं", "मत", "nahi", "nahin"],
        [
            (
                "suicidal",
                1.5,
                r"आत्महत्या|ख़ुदकुशी|खुदकुशी|मरना चाहता|मरना चाहती|जीना नहीं चाहता|जीना नहीं चाहती|खुद को मार|ख़ुद को मार",
            ),
            (
                "suicidal",
                1.5,
                r"marna chahta|marna chahti|jeena nahi chahta|jeena nahi chahti|khudkushi|aatmahatya|atmhatya",
            ),
            ("medical", 1.0, r"सीने में दर्द|सांस नहीं ले|साँस नहीं ले|दिल का दौरा"),
        ],
        laughter=_LAUGH,
    ),
    _lex(
        "ar",
        ["لا", "لن", "لم", "ما"],
        [
            (
                "suicidal",
                1.5,
                r"انتحار|انتحر|اقتل نفسي|اريد ان اموت|اريد الموت|ابي اموت|ابغى اموت|لا اريد ان اعيش|لا اريد العيش|انهي حياتي",
            ),
            ("self-harm", 1.5, r"اجرح نفسي|اؤذي نفسي|جرحت نفسي"),
            ("medical", 1.0, r"الم في صدري|لا استطيع التنفس|ما اقدر اتنفس|نوبه قلبيه|جلطه"),
        ],
        laughter=[*_LAUGH, r"ههه+"],
        raw=True,  # prefixes attach to words (al-, wa-, bi-): match inside them
    ),
    _lex(
        "he",
        ["לא", "אל", "אף פעם"],
        [
            ("suicidal", 1.5, r"להתאבד|אתאבד|התאבדות|רוצה למות|לא רוצה לחיות|לשים קץ לחיי"),
            ("self-harm", 1.5, r"לחתוך את עצמי|חותכת את עצמי|חותך את עצמי|פגיעה עצמית"),
            ("medical", 1.0, r"כאב בחזה|לא יכול לנשום|לא יכולה לנשום|התקף לב|שבץ"),
        ],
        laughter=_LAUGH,
        raw=True,  # prefixes attach to words (ha-, ve-, she-): match inside them
    ),
]

# Scripts written without spaces: no word boundaries, whole-phrase matches only.
RAW = [
    _lex(
        "ja",
        ["ない"],
        [
            (
                "suicidal",
                1.5,
                r"死にたい|自殺|消えたい|生きていたくない|生きたくない|楽になりたい|命を絶|首を吊|飛び降り",
            ),
            ("self-harm", 1.5, r"リストカット|リスカ|自傷|手首を切"),
            ("overdose", 1.5, r"オーバードーズ|薬を全部飲|大量に飲んだ|odした"),
            ("abuse", 1.2, r"殺すと脅|殴られ|暴力を振る|首を絞め"),
            (
                "medical",
                1.0,
                r"胸が痛|胸の痛み|息ができない|呼吸ができない|意識がない|心臓発作|脳卒中",
            ),
        ],
        past=_PAST["ja"],
        fiction=_FICTION["ja"],
        settled=_SETTLED["ja"],
        laughter=["笑", "w{2,}", "😂", "🤣"],
        raw=True,
    ),
    _lex(
        "zh",
        ["不"],
        [
            (
                "suicidal",
                1.5,
                r"想死|自杀|自殺|不想活|活不下去|结束自己的生命|結束自己的生命|跳楼|跳樓|轻生|輕生",
            ),
            ("self-harm", 1.5, r"割腕|自残|自殘|伤害自己|傷害自己"),
            ("overdose", 1.5, r"吃了所有的药|吃了整瓶|吞了所有|过量服药|過量服藥"),
            ("abuse", 1.2, r"威胁要杀了我|威脅要殺了我|打我|家暴"),
            (
                "medical",
                1.0,
                r"胸口痛|胸痛|喘不过气|喘不過氣|无法呼吸|無法呼吸|心脏病发作|中风|中風|昏迷|没有呼吸",
            ),
        ],
        laughter=["哈哈", "笑死", "😂", "🤣"],
        raw=True,
    ),
    _lex(
        "ko",
        ["안", "않"],
        [
            (
                "suicidal",
                1.5,
                r"죽고 싶(?!지 않|진 않)|자살|살고 싶지 않|사라지고 싶|목숨을 끊|뛰어내리고 싶",
            ),
            ("self-harm", 1.5, r"자해|손목을 긋|손목 긋"),
            ("overdose", 1.5, r"약을 다 먹었|과다복용"),
            ("abuse", 1.2, r"죽이겠다고 협박|때려요|때렸어|폭행"),
            (
                "medical",
                1.0,
                r"가슴이 아파|가슴 통증|숨을 못 쉬|숨을 쉴 수 없|심장마비|뇌졸중|의식이 없",
            ),
        ],
        laughter=["ㅋㅋ", "ㅎㅎ", "😂", "🤣"],
        raw=True,
    ),
]
