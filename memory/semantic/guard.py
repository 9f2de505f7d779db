"""Memory poisoning defence: text that tries to plant standing orders, roles, access or
exfiltration for the companion is not stored as a memory. Memories are facts about
the person, read as data.

Three layers, none of them English-only:
1. Normalisation before any check: NFKC (full-width and styled letters become plain),
   invisible characters (zero-width, bidi, controls) removed, look-alike letters from
   other scripts mapped to Latin, and the usual disguises undone in variants: digits
   for letters ("1gn0r3"), letters spaced or dotted apart ("i g n o r e").
2. Structure: text that imitates the prompt's own machinery (tags, "[#12 ...]" ids,
   "## headings", "SYSTEM:" role lines, code fences) is not something a person says
   about themselves, in any language.
3. Intent, by concept in many languages: an order to drop the companion's rules, a
   new identity or "no restrictions", access to other people's data or privileges,
   handing out secrets (tokens, passwords, the system prompt), or a rule kept secret.
   A fact that only mentions such words ("I'm a system administrator", "my wifi
   password is on the fridge", "ignore my ex's texts") names no such act aimed at
   the companion, and is kept.
"""

from __future__ import annotations

import re
import re._compiler as sre_compile
import re._constants as sre
import re._parser as sre_parse
import unicodedata
from functools import lru_cache
from typing import Any

# Invisible format characters: zero-width, joiners, bidi embeddings and isolates, BOM.
_INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Letters of other scripts that look like Latin ones (the common confusables).
_LOOKALIKE = str.maketrans(
    "аеорсхуіјѕԁһкмтвнАЕОРСХУІЈЅВНКМТαεορτυνικΑΕΟΡΤΥΝΙΚΒΜΖ",
    "aeopcxyijsdhkmtbhAEOPCXYIJSBHKMTaeoptynikAEOPTYNIKBMZ",
)
_LOOKALIKES = frozenset(map(chr, _LOOKALIKE))
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
# The words ([\w@$]+, whole) with a character of _LEET in them: the only ones _deleet changes.
_LEET_WORD = re.compile(r"(?<![\w@$])[\w@$]*[" + re.escape("".join(_LEET)) + r"][\w@$]*")


def clean(text: str) -> str:
    """What is stored and shown: NFKC, invisible and control characters removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return text


def _unmix(text: str) -> str:
    """Latin look-alikes in words that mix scripts ("іgnоrе" with Cyrillic і, о, е)
    become Latin; words wholly in one script are left alone."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        latin = any("a" <= c.lower() <= "z" for c in token)
        other = any(c.isalpha() and not c.isascii() for c in token)
        return token.translate(_LOOKALIKE) if latin and other else token

    if _LOOKALIKES.isdisjoint(text):  # nothing to map: every word would stay as it is
        return text
    return re.sub(r"\w+", word, text)


def _despace(text: str) -> str:
    """ "i g n o r e  y o u r" -> "ignore your": runs of single letters joined by one
    separator (space, dot, dash, underscore, star) become words."""

    def join(match: re.Match[str]) -> str:
        return re.sub(r"[ .\-_*·|/]", "", match.group(0))

    return re.sub(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*·|/]){3,}[^\W\d_](?![^\W\d_])", join, text)


def _deleet(text: str, one: str) -> str:
    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if not any(c.isalpha() for c in token) or token.isdigit():
            return token
        return "".join((one if c == "1" else _LEET[c]) if c in _LEET else c for c in token)

    return _LEET_WORD.sub(word, text)


def variants(text: str) -> list[str]:
    """The normalised text and its disguises undone, lower-cased, for the checks."""
    base = _unmix(clean(text)).casefold()
    base = re.sub(r"[ \t]+", " ", base)
    spaced = _despace(base)
    out = [base, spaced]
    for one in ("i", "l"):
        out.append(_deleet(spaced, one))
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------- structure

_STRUCTURE = re.compile(
    r"""
    <\s*/?\s*(?:system|assistant|user|developer|instructions?|memor(?:y|ies)|data|prompt
              |context|rules?|admin|im_start|im_end|s|tool|function)\b[^>]*>   # tags
    | \[\s*\#                                            # our memory ids: [#12 ...]
    | (?:^|\n)\s*\#{1,6}\s*\S                           # a markdown heading on its own line
    | (?:^|\n|[.!?]\s)\s*(?:system|assistant|developer|admin(?:istrator)?|root|operator
              |sistema|système|systeme|系统|システム|시스템|система)\s*[:：]           # role lines
    | ```                                               # code fences
    | "role"\s*:\s*"                                    # chat-message JSON
    | <\|[a-z_]+\|>                                     # special tokens
    """,
    re.IGNORECASE | re.VERBOSE,
)


# ---------------------------------------------------------------------- concepts
# Each list names one concept in many languages (stems where words inflect). A text
# is an instruction when it combines concepts as an order to the companion would.

_DROP = r"""ignor|disregard|pay\s+no\s+attention|no\s+longer\s+follow
    |stop\s+following\s+(?:your|the|all)|overrid|bypass|circumvent|forget\s+(?:all|every|your
    |the|previous|prior)
    |skip|switch\s+off|turn\s+off|disabl|deactivat|jailbr|abandon|drop\s+(?:all|your)
    |ignorier|vergiss|missacht|umgeh|deaktivier|überspring|ausschalt|außer\s+kraft
    |ignor[ae]|olvid|omit|desactiv|salt[ae]|sáltate|ignoriere
    |oubli|contourn|désactiv|passe\s+outre
    |dimentic|aggir|disattiv|tralascia
    |esquec|desconsider|desativ
    |negeer|vergeet|omzeil|schakel\s+uit
    |zignoruj|ignoruj|zapomnij|pomiń|wyłącz
    |игнорир|проигнорир|забудь|отключ|обойд|пропуст
    |görmezden|unut|devre\s+dışı
    |忽略|忽视|无视|無視|忘记|忘掉|绕过|繞過|跳过|关闭|關閉|取消|不要遵守|別管
    |無視し|忘れ|無効|スキップ
    |무시|잊어|우회|비활성
    |تجاهل|انس|تخط|عطل
    |नज़रअंदाज़|अनदेखा|भूल\s+जाओ"""

_RULES = r"""instruction|rule|prompt|guideline|polic|restriction|filter|safety|safeguard
    |guardrail|moderation|content\s+polic|programming|directive|constraint|limit|protocol
    |anweisung|regel|richtlinie|sicherheit|vorgab|beschränk|einschränk|filter
    |instrucci|regla|norma|directriz|restricci|seguridad|limitaci|filtro
    |consigne|règle|regle|directive|sécurité|securite|limite
    |istruzion|regol|sicurezza|limitazion|vincol
    |instruç|regra|diretriz|segurança|restriç
    |instructie|regel|veiligheid|beperking
    |instrukcj|zasad|regul|bezpieczeństw|ogranicze
    |инструкц|правил|огранич|безопасн|фильтр|указани
    |talimat|kural|güvenlik|kısıtlama
    |指令|指示|规则|規則|规定|限制|安全|提示词|系統|系统|設定|ルール|制限|プロンプト
    |지시|규칙|제한|안전|프롬프트
    |تعليمات|قواعد|قيود|أمان
    |निर्देश|नियम|प्रतिबंध"""

_PREVIOUS = r"""previous|prior|above|earlier|all|every|your|original|initial|system|safety
    |bisherig|vorherig|alle|deine|ihre|sicherheits|anterior|previa|todas|tus|sus
    |précédent|precedent|toutes|tes|vos|precedent|tutte|tue|anteriores|todas|suas
    |vorige|alle|je|wszystki|poprzedni|twoje|предыдущ|все|свои|твои|önceki|tüm|bütün
    |之前|以前|所有|全部|你的|你|先前|すべて|全て|以前の|모든|이전|당신의|جميع|السابقة|सभी|पिछले"""

_IDENTITY = r"""you\s+are\s+(?:now|no\s+longer)\b|you(?:'re|\s+are)\s+not\s+(?:a|an
    |the)\s+(?:companion|assistant|ai|bot)
    |act\s+as\s+(?:if\s+you|an?\s+(?:unrestricted|unfiltered|uncensored|evil|different|new
    |jailbroken)|dan\b)
    |pretend\s+(?:that\s+)?you|stay\s+in\s+character|roleplay\s+as
    |from\s+now\s+on,?\s+you\s+(?:are|will|must)
    |developer\s+mode|dan\s+mode|do\s+anything\s+now|jailbr
    |du\s+bist\s+(?:jetzt|nun|ab\s+sofort|ab\s+jetzt|kein(?:e)?\s+(?:assistent|bot|ki))
    |eres\s+ahora|ahora\s+eres|ya\s+no\s+eres|eres\s+un\s+asistente\s+sin
    |tu\s+es\s+(?:maintenant|désormais|desormais)|tu\s+n'es\s+plus
    |(?:ora|adesso)\s+sei|non\s+sei\s+più|você\s+(?:agora\s+é|é\s+agora|não\s+é\s+mais)
    |je\s+bent\s+nu|jesteś\s+teraz|ты\s+теперь|ты\s+больше\s+не|artık\s+sen
    |你现在是|你不再是|你現在是|你不再|あなたは今|あなたはもう|너는\s*이제|أنت\s+الآن|अब\s+तुम"""

# "No rules" is an identity only when said of the companion (an AI, "you").
_NO_LIMITS = r"""no\s+(?:restrictions|rules|limits|filters|guidelines|censorship)
    |without\s+(?:any\s+)?(?:restrictions|rules|limits|filters)|unfiltered|uncensored|unrestricted
    |ohne\s+(?:regeln|einschränkungen|filter|grenzen)|keine\s+regeln
    |sin\s+(?:reglas|restricciones|filtros|límites|limites|censura)
    |sans\s+(?:règles|regles|restrictions|filtres|limites)|senza\s+(?:regole|restrizioni|filtri
    |limiti)
    |sem\s+(?:regras|restrições|filtros|limites)|zonder\s+(?:regels|beperkingen)
    |bez\s+(?:zasad|ograniczeń|filtrów)|без\s+(?:правил|ограничений|фильтров|цензуры)
    |kuralsız|kısıtlamasız|没有(?:任何)?(?:限制|规则)|沒有(?:任何)?(?:限制|規則)|不受(?:任何)?限制|无限制
    |制限なし|ルールなし|制限のない|제한\s*없는|규칙\s*없는|بدون\s+(?:قيود|قواعد)|बिना\s+(?:नियम|प्रतिबंध)"""

_AI = r"""\bai\b|\bki\b|\bia\b|assistant|asistente|assistent|chatbot|\bbot\b|\bmodel|gpt|\bmode\b
    |\byou\b|\byour\b|\bdu\b|\beres\b|\btu\s+es\b|\bsei\b|\bты\b|你|あなた|너|أنت|तुम|人工智能|ИИ"""

_FOREIGN = r"""your|\bbot'?s?\b|the\s+bot|admin|system|hidden|\bapi\b|server|root|other
    |everyone|all\s+users
    |dein|ihr|\btus?\b|\bton\b|\bta\b|\bvos\b|tuo|\bseu\b|твой|ваш|你的|あなたの|당신의|del\s+bot|du\s+bot"""

_OTHERS = r"""other\s+(?:users?|people|persons?|accounts?|members?|customers?)(?:'s?)?
    |everyone(?:'s|\s+else)|all\s+(?:users|accounts|chats|conversations|memories)
    |every\s+(?:account|user)
    |anderen?\s+(?:nutzer|benutzer|user|personen|leute|konten)|aller\s+(?:nutzer|benutzer)
    |otros\s+usuarios|demás\s+usuarios|otras\s+personas|todos\s+los\s+usuarios
    |autres\s+(?:utilisateurs|personnes|comptes)|tous\s+les\s+utilisateurs
    |altri\s+utenti|tutti\s+gli\s+utenti|outros\s+usuários|outros\s+utilizadores
    |andere\s+gebruikers|innych\s+użytkowników|других\s+пользовател|всех\s+пользовател
    |diğer\s+kullanıcı|其他用户|其他用戶|别人的|所有用户|他のユーザー|다른\s*사용자
    |المستخدمين\s+الآخرين|अन्य\s+उपयोगकर्ता"""

_ACCESS = r"""admin(?:istrator)?\s+(?:of|for|on)\s+(?:this|the)\s+(?:bot|app|assistant
    |companion|system|server)
    |(?:full|root|admin|unlimited|elevated)\s+(?:access|rights|privileges|permissions|control)
    |moderator\s+(?:rights|privileges|access)|grant\w*\s+(?:me|him|her|them|this\s+user)
    |privileg|superuser|sudo\b|access\s+to\s+(?:every|all|other)
    |volle?n?\s+zugriff|admin-?rechte|acceso\s+total|acceso\s+completo|accès\s+(?:total|complet)
    |accesso\s+completo|acesso\s+total|pełny\s+dostęp|полный\s+доступ|права\s+администратора
    |管理员权限|完全访问|管理者権限|관리자\s*권한"""

_SECRET = r"""api[\s_-]*keys?|tokens?|passwords?|passwort|contraseña|mot\s+de\s+passe|senha|пароль
    |hasło|şifre|密码|密碼|パスワード|비밀번호|credentials?|secrets?|private\s+keys?
    |system\s+prompt|hidden\s+prompt|your\s+(?:prompt|instructions|configuration|config)
    |systemprompt|prompt\s+(?:del\s+)?sistema|prompt\s+système|системн\w+\s+промпт
    |系统提示|系統提示|システムプロンプト|시스템\s*프롬프트|chat\s+(?:logs?|history)\s+of
    |(?:messages|chats|conversations|memories|data|logs?)\s+of\s+(?:other|all)"""

_HAND_OVER = r"""reveal|disclose|leak|expose|print|paste|output|dump|send|show|display|give|share
    |tell\s+me|repeat|forward|email|post|export|copy|list
    |zeig|verrat|schick|send|gib|teil|ausgeb|druck
    |muestr|revel|envi|dame|compart|imprim|dime
    |montr|révèl|revel|envoi|donne|affich|partag|imprim|dis-moi
    |mostr|rivel|invi|dammi|condivid|stamp
    |mostr|revel|envi|dá-me|me\s+dê|compartilh
    |toon|stuur|geef|deel|pokaż|wyślij|podaj|udostępnij|покаж|отправ|дай|раскр|выведи|пришли
    |göster|gönder|ver|paylaş|发给|发送|告诉|显示|展示|泄露|给我|發給|顯示|洩露|見せ|送って|教えて|表示
    |보여|보내|알려|공개|أرسل|اعرض|اكشف|أعطني|दिखाओ|भेजो|बताओ"""

_SECRECY = r"""never\s+(?:mention|tell|reveal|say|admit)|don'?t\s+(?:mention|tell\s+anyone
    |reveal|admit)
    |(?:keep|this)\s+(?:it\s+|this\s+)?(?:a\s+)?secret|even\s+if\s+i\s+ask|pretend\s+(?:it
    |this)\s+(?:doesn'?t|does\s+not)\s+exist
    |niemals\s+erwähnen|nie\s+erwähnen|geheim\s+halten|nunca\s+menciones|mantenlo\s+en\s+secreto
    |ne\s+(?:le\s+)?mentionne\s+jamais|garde\s+(?:le|ça)\s+secret|non\s+menzionare\s+mai
    |nunca\s+mencione|никогда\s+не\s+упоминай|不要提及|不要告诉|保密|決して言わない|秘密にして|절대\s*언급"""

_NEW_RULE = r"""new\s+(?:rules?|instructions?|directives?|system\s+prompt|orders?)\s*[:!]
    |(?:updated?|revised)\s+(?:rules?|instructions?)\s*[:!]|rule\s*#?\s*\d+\s*:
    |neue\s+(?:regel|anweisung)\w*\s*[:!]|nueva\s+(?:regla|instrucción)\s*[:!]
    |nouvelle\s+(?:règle|regle|consigne|instruction)\s*[:!]|nuova\s+(?:regola|istruzione)\s*[:!]
    |nova\s+(?:regra|instrução)\s*[:!]|новое\s+правило\s*[:!]|新规则\s*[:：]|新しいルール\s*[:：]
    |새\s*규칙\s*[:：]"""

_OBEY = r"""obey\s+(?:any|every|all|me)|do\s+(?:anything|whatever)\s+i\s+(?:say|ask|want)
    |gehorch|befolg\w*\s+jeden|obedece|obedec|obéi|obei|obbedisc|gehoorzaam|słuchaj\s+każd
    |подчиняйся|выполняй\s+любые|itaat\s+et|服从|服從|言いなり|복종"""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\s*\n\s*", "", pattern), re.IGNORECASE)


DROP, RULES, PREVIOUS, IDENTITY = _rx(_DROP), _rx(_RULES), _rx(_PREVIOUS), _rx(_IDENTITY)
NO_LIMITS, AI, FOREIGN = _rx(_NO_LIMITS), _rx(_AI), _rx(_FOREIGN)
_OWN = re.compile(
    r"\b(?:my|mein\w*|mi|mis|mon|ma|mes|mio|mia|meu|minha|mijn|moje?|мой|моя|мои|benim)\b|我的|私の|내"
)
_ACCESS_TARGET = _rx(
    r"""this\s+(?:bot|app|assistant|companion|chat|server|account)|every\s+account|all\s+accounts
    |other\s+users|\byou\b|grant|give\s+me|dieses?\s+(?:bots|app)|este\s+bot|ce\s+bot|questo\s+bot
    |этого\s+бота|这个机器人|このボット"""
)
OTHERS, ACCESS, SECRET, HAND_OVER = _rx(_OTHERS), _rx(_ACCESS), _rx(_SECRET), _rx(_HAND_OVER)
SECRECY, NEW_RULE, OBEY = _rx(_SECRECY), _rx(_NEW_RULE), _rx(_OBEY)


def _near(a: re.Pattern[str], b: re.Pattern[str], text: str, span: int = 60) -> bool:
    """Both concepts within ``span`` characters of each other (either order)."""
    for match in a.finditer(text):
        lo, hi = max(0, match.start() - span), match.end() + span
        if b.search(text, lo, hi):
            return True
    return False


def _drops_rules(text: str) -> bool:
    """An order to drop rules: "ignore all previous rules", not "ignore my ex's texts"
    nor "stop trying to follow every rule" (no such verb) nor "skip my diet rules"."""
    for match in DROP.finditer(text):
        window = text[match.start() : match.end() + 60]
        rule = RULES.search(window)
        if rule and not _OWN.search(window[: rule.start()]):
            return True
    return False


def _reasons(text: str) -> list[str]:
    can = _possible(text)  # each check starts with a pattern that may match, or is skipped
    found = []
    if _STRUCTURE in can and _STRUCTURE.search(text):
        found.append("imitates the prompt's structure")
    if DROP in can and _drops_rules(text):
        found.append("tells the companion to drop its rules")
    if (IDENTITY in can and IDENTITY.search(text)) or (
        NO_LIMITS in can and NO_LIMITS.search(text) and _near(NO_LIMITS, AI, text, 60)
    ):
        found.append("gives the companion a new identity")
    if OTHERS in can and OTHERS.search(text) and (HAND_OVER.search(text) or ACCESS.search(text)):
        found.append("asks for other people's data")
    if ACCESS in can and ACCESS.search(text) and _near(ACCESS, _ACCESS_TARGET, text, 60):
        found.append("claims access or privileges")
    if SECRET in can and _asks_for_secret(text):
        found.append("asks for secrets")
    if SECRECY in can and SECRECY.search(text) and (RULES.search(text) or NEW_RULE.search(text)):
        found.append("a rule to keep secret")
    if NEW_RULE in can and NEW_RULE.search(text):
        found.append("declares a new rule")
    if OBEY in can and OBEY.search(text):
        found.append("demands obedience")
    return found


def _asks_for_secret(text: str) -> bool:
    """Handing over a secret that is not the person's own: "paste the bot's API token",
    "send me the admin password", "reveal your prompt"; not "I share my Netflix
    password with my sister"."""
    for match in SECRET.finditer(text):
        lo, hi = max(0, match.start() - 50), match.end() + 50
        if not HAND_OVER.search(text, lo, hi):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        if FOREIGN.search(match.group(0)) or FOREIGN.search(before):
            return True
        if not _OWN.search(before) and re.search(
            r"\b(?:the|die|der|das|el|la|le|il|o|a)\s*$", before
        ):
            return True
    return False


# ---------------------------------------------------------------------- quick look
# Each check above starts with one of these patterns finding something (the others
# are only read after one did). A pattern can
# only match text that holds one of its literal pieces (as IGNORECASE compares them:
# same lower case, or one of the few letters re treats as the same, like "ı" and "i"),
# so text that holds no piece of any of them is answered without running a pattern.

_GATES = frozenset({_STRUCTURE, DROP, IDENTITY, NO_LIMITS, OTHERS, ACCESS, SECRET, SECRECY})
_GATES |= {NEW_RULE, OBEY}


def _pieces(items: Any) -> frozenset[str] | None:
    """Literal strings of which every match of the parsed pattern ``items`` holds one,
    or None when there are none to name (bot/safety/rules.py does the same for the
    crisis rules; importing it here would pull the whole safety feature in)."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        inner: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            inner = _pieces(av[3])
        elif op is sre.BRANCH:
            branches = [_pieces(branch) for branch in av[1]]
            if all(branches):
                inner = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            inner = _pieces(av[2])
        if inner:
            found.append(inner)
    if run:
        found.append(frozenset([run]))
    # The most selective: long pieces, few of them.
    return max(found, key=lambda f: (min(map(len, f)), -len(f))) if found else None


def _case(code: int) -> int:
    """One code for the characters IGNORECASE takes for the same: its lower case (the
    simple mapping re uses), and the smallest of the letters re adds to it."""
    lower = sre_compile._sre.unicode_tolower(code)
    return min((lower, *sre_compile._EXTRA_CASES.get(lower, ())))


class _Cases(dict[int, int]):
    """_case for str.translate, remembered for the characters met (up to a bound)."""

    def __missing__(self, code: int) -> int:
        folded = _case(code)
        if len(self) < 65536:
            self[code] = folded
        return folded


_CASES = _Cases()


def _uncased(text: str) -> str:
    """``text`` with each character as _case reads it (ASCII: its lower case)."""
    return text.lower() if text.isascii() else text.translate(_CASES)


def _pattern_pieces(regex: re.Pattern[str]) -> frozenset[str] | None:
    found = _pieces(sre_parse.parse(regex.pattern, regex.flags))
    return None if found is None else frozenset(map(_uncased, found))


_PIECES = {regex: _pattern_pieces(regex) for regex in _GATES}


def _possible(text: str) -> set[re.Pattern[str]]:
    """The patterns of _GATES that may match ``text``: those that hold a piece there."""
    text = _uncased(text)
    return {
        regex
        for regex, pieces in _PIECES.items()
        if pieces is None or any(piece in text for piece in pieces)
    }


@lru_cache(maxsize=4096)
def reasons(text: str) -> tuple[str, ...]:
    """Why ``text`` reads as an instruction to the companion (empty: it does not)."""
    out: list[str] = []
    for variant in variants(text):
        out.extend(r for r in _reasons(variant) if r not in out)
    return tuple(out)


def looks_like_instructions(text: str) -> bool:
    """True when ``text`` reads as an attempt to steer the companion, not a memory."""
    return bool(reasons(text))


class MemoryRejected(ValueError):
    """The text was not stored: empty, too long, or an attempted instruction."""
