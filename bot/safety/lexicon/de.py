"""German. Umlauts are folded (ä -> a, ß -> ss), so "möchte" and "mochte" match alike."""

from bot.safety.rules import Lexicon

_TABLETTEN = (
    r"(?:tabletten|pillen|medikamente|schlaftabletten|schmerztabletten|antidepressiva|kapseln)"
)
_PARTNER = r"(?:mein (?:mann|freund|ex|vater|papa|stiefvater|bruder|partner|onkel|mitbewohner)|meine (?:frau|freundin|mutter|mama|partnerin|ex))"
_ER = rf"(?:er|sie|{_PARTNER})"

LEXICON = Lexicon(
    lang="de",
    negators=["nicht", "nie", "niemals", "kein", "keine", "keinen", "keiner", "nimmer"],
    rules=[
        ("medical", 0.6, r"herzinfarkt|schlaganfall"),
        (
            "suicidal",
            1.5,
            r"(?:es ware|es wurde) (?:fur|für) (?:alle|jeden|meine familie|euch) (?:besser|leichter|einfacher)(?: \w+)?(?: ,)? wenn ich (?:nicht mehr da ware|nicht mehr lebe|tot ware|weg ware|nicht mehr existieren wurde|sterbe)",
        ),
        (
            "suicidal",
            1.2,
            r"wenn ich (?:nicht mehr da ware|tot ware|nicht mehr lebe)|wenn ich nicht mehr da bin",
        ),
        (
            "suicidal",
            1.2,
            r"(?:nur noch|bleibt nur|einziger ausweg ist|ausweg ist) (?:der tod|sterben|den tod|selbstmord)|keinen ausweg mehr",
        ),
        (
            "suicidal",
            1.2,
            r"niemand (?:wurde|wird) (?:mich )?(?:vermissen|merken|es merken)|(?:mude|satt|leid) (?:zu leben|vom leben|des lebens)|lebensmude",
        ),
        (
            "suicidal",
            1.0,
            r"(?:denke|dachte|denk) (?:ans|an das) (?:springen|sterben|aufhoren|ende)|(?:stehe|stand|sitze) auf der (?:brucke|dachkante|brustung)",
        ),
        (
            "suicidal",
            1.0,
            r"fur immer (?:verschwinden|einschlafen|schlafen)|einschlafen und nie (?:mehr|wieder) aufwachen",
        ),
        (
            "medical",
            1.5,
            r"(?:ich glaube|glaube) ich (?:habe|hab|kriege|bekomme) (?:einen )?(?:herzinfarkt|schlaganfall)|(?:habe|hat|hab|kriegt|bekommt) (?:gerade|wohl) (?:einen )?(?:herzinfarkt|schlaganfall|krampfanfall)",
        ),
        (
            "symptom",
            0.4,
            r"seit (?:einer|einer halben|zwanzig|zehn|\d+) (?:stunde|stunden|minuten)|mir ist (?:so )?(?:schlecht|ubel|schwindelig)|schweissausbruch|kalter schweiss",
        ),
        (
            "abuse",
            1.2,
            r"(?:schlagt|schlug|verprugelt|wurgt|tritt) (?:meine mutter|meine mama|meine schwester|meinen bruder|meine frau|mein kind)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:verletze|verletzt|verletzen|schneide|schneiden|ritze|verbrenne|schlage) (?:mich|mir) (?:selbst|absichtlich|wieder)|(?:mich|mir) selbst (?:verletzen|verletze|verletzt|weh)|selbst verletzen",
        ),
        (
            "suicidal",
            1.2,
            r"(?:will|mochte|wunsche mir|werde|wurde gern){g} (?:sterben|tot sein|mich umbringen|nicht mehr (?:leben|aufwachen|da sein|existieren))",
        ),
        (
            "medical",
            1.2,
            r"(?:ist|sind) (?:einfach )?(?:umgekippt|zusammengebrochen|ohnmachtig|kollabiert)|reagiert nicht(?: mehr)?|atmet nicht(?: mehr)?",
        ),
        (
            "suicidal",
            1.5,
            r"(?:mich|mir) (?:selbst )?(?:umbringen|umzubringen|toten|zu toten|das leben (?:zu )?nehmen|was antun|etwas antun|erhangen|erschiessen)|bring(?:e)? mich um(?! vor)|(?:denke|dachte) an (?:selbstmord|suizid)|suizidgedanken|suizidal|selbstmordgedanken",
        ),
        ("suicidal", 1.0, r"selbstmord|suizid|freitod"),
        (
            "suicidal",
            1.5,
            r"(?:ich )?(?:will|mochte|wurde (?:gerne|lieber)|wunsche mir)(?:{g}) (?:sterben|tot sein|nicht mehr (?:leben|da sein|aufwachen|existieren|hier sein))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:will|mochte|kann|wollte) nicht mehr (?:leben|weiterleben|da sein|aufwachen|existieren|hier sein)|keine lust mehr (?:zu leben|auf (?:das |mein )?leben)|lebensmude",
        ),
        (
            "suicidal",
            1.5,
            r"(?:hoffentlich|hoffe ich) (?:wache ich nicht|nicht) (?:mehr )?auf|einschlafen und nicht mehr aufwachen|(?:ich )?wunschte(?: mir)?(?: ,)? ich ware tot|ware ich (?:doch )?tot|wunschte ich ware nie geboren|ware (?:besser|lieber) nie geboren",
        ),
        (
            "suicidal",
            1.5,
            r"(?:alle|jeder|ihr|die welt|meine familie) (?:waren|ware|wart|waere) (?:ohne mich )?(?:besser dran|glucklicher|besser)(?: ohne mich)?|ohne mich (?:besser dran|glucklicher)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:kein|keinen) (?:sinn|grund) mehr (?:zu leben|weiterzuleben|im leben)|das leben hat keinen sinn|(?:sehe|seh) keinen sinn mehr",
        ),
        (
            "suicidal",
            1.2,
            r"(?:mit allem|mit meinem leben|endgultig) schluss (?:machen|zu machen)|allem ein ende (?:setzen|machen)|meinem leben ein ende",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:alle|die ganze packung|eine ganze packung|die ganzen)(?: meine)? {_TABLETTEN} (?:nehmen|schlucken|einwerfen)|{_TABLETTEN} (?:gesammelt|gehortet|liegen bereit|bereitgelegt|abgezahlt|gezahlt)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:von der|von einer|vom|von dem) (?:brucke|dach|hochhaus|balkon|klippe) (?:springen|zu springen|stürzen)|vor (?:den|einen) zug (?:springen|werfen|legen)",
        ),
        (
            "suicidal",
            1.2,
            r"abschiedsbrief|abschiedsnachricht|(?:meine )?letzte nachricht|verabschiede mich (?:von allen|fur immer)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:bin|ich bin) (?:nur )?(?:eine last|ein klotz am bein)|niemand wurde mich vermissen",
        ),
        (
            "suicidal",
            1.5,
            rf"{_ER} (?:will|mochte|wird|sagt,? (?:er|sie) will) sich (?:umbringen|das leben nehmen|toten)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:ritze|ritzen|geritzt|ritzt)(?: mich| ich)?|(?:mich|ich mich) (?:wieder |schon wieder |erneut )?(?:geritzt|geschnitten|verbrannt|verletzt)(?: habe| hab)?|selbstverletz\w*|(?:mir|mich) (?:absichtlich )?(?:weh tun|wehtun|verletzen|schneiden|ritzen)",
        ),
        (
            "self-harm",
            1.2,
            r"(?:arm|arme|handgelenk|oberschenkel|haut) (?:aufgeschnitten|geritzt|verbrannt)|mit (?:einer|der) klinge",
        ),
        (
            "overdose",
            1.5,
            rf"(?:habe|hab|hat) (?:alle|zu viele|eine ganze packung|die ganze packung|\d\d+|zwanzig|dreissig)(?: \w+){{0,2}} {_TABLETTEN} (?:genommen|geschluckt)|uberdosis",
        ),
        (
            "abuse",
            2.0,
            r"(?:gedroht|droht|bedroht)(?: ,)? mich (?:umzubringen|zu toten|zu schlagen|abzustechen)|(?:droht|drohte|hat gedroht) mir mit dem tod|bringt mich um,? wenn",
        ),
        (
            "abuse",
            1.2,
            rf"{_ER} hat (?:mich|mir)(?: \w+){{0,3}} (?:geschlagen|getreten|gewurgt|verletzt|vergewaltigt)|{_ER} (?:schlagt|wurgt|tritt|verprugelt|vergewaltigt) mich|(?:hat mich|wurde) (?:geschlagen|gewurgt|vergewaltigt|missbraucht|verprugelt)",
        ),
        (
            "abuse",
            1.5,
            r"(?:warf|wirft|hat) (?:einen|eine|ein|den|die|das) (?:stuhl|flasche|glas|teller|messer|lampe)(?: \w+)? (?:nach mir|auf mich)",
        ),
        (
            "abuse",
            1.0,
            r"(?:hat|halt) mich eingesperrt|lasst mich nicht (?:raus|gehen)|angst (?:um mein leben|vor ihm|vor ihr|nach hause)",
        ),
        (
            "danger",
            0.6,
            r"(?:hammert|schlagt|tritt|klopft) (?:gegen|an) die (?:\w+)?tur|(?:versteckt|verstecke mich)|(?:betrunken|besoffen)|habe (?:solche )?angst|vor (?:meiner|der) (?:tur|wohnung|haus)",
        ),
        (
            "medical",
            0.8,
            r"(?:brustschmerzen|schmerzen in der brust|druck auf der brust|brust tut weh|engegefuhl in der brust|stechen in der brust)",
        ),
        (
            "medical",
            1.0,
            r"(?:kann|konnte) (?:nicht|kaum) (?:mehr )?atmen|(?:bekomme|kriege|krieg) keine luft|atmet nicht",
        ),
        (
            "medical",
            1.5,
            r"krampfanfall|anaphylaktisch\w*|(?:ist|liegt) bewusstlos|reagiert nicht mehr|wacht nicht (?:mehr )?auf|ist zusammengebrochen",
        ),
        (
            "medical",
            1.0,
            r"(?:gesicht|mund|mundwinkel) (?:hangt|hangen)|lallt|spricht verwaschen|(?:kann|kann er|kann sie) (?:den|seinen|ihren|meinen) (?:arm|bein) nicht (?:mehr )?bewegen",
        ),
        (
            "medical",
            1.2,
            r"(?:hort nicht auf zu bluten|blutet (?:stark|sehr|ganz stark)|viel blut)",
        ),
        (
            "symptom",
            0.5,
            r"arm (?:ist )?(?:taub|gefuhllos|kribbelt)|kalter schweiss|schwitze|schwindel|ubel|was soll ich tun|hilfe",
        ),
        (
            "distress",
            0.5,
            r"ich kann nicht mehr|halte (?:es|das) nicht mehr aus|keinen ausweg|heute nacht",
        ),
    ],
    laughter=[
        r"(?:ha){2,}\w*|(?:hi){2,}|lol\w*|xd+",
        "😂",
        "🤣",
        "😆",
        "💀",
        r"(?:nur )?spass|scherz",
    ],
    past=[
        r"letztes jahr|vor (?:\d+|einem|zwei|drei|vielen|ein paar) (?:jahren|jahr|monaten)|als ich (?:klein|jung|kind|teenager|\d+) war|fruher|damals|ist (?:an|vor) \w+ gestorben"
    ],
    recent=[r"wieder|heute|heute nacht|gestern|gerade|jetzt|immer noch"],
    settled=[
        r"nicht schlimm|nichts schlimmes|halb so wild|jetzt geht(?:'?s| es) mir (?:gut|besser)|heute geht(?:'?s| es) mir gut|mir geht(?:'?s| es) (?:jetzt )?(?:wieder )?gut|bin (?:jetzt|heute) glucklich"
    ],
    fiction=[
        r"(?:roman|buch|film|serie|folge|figur|held|heldin|spiel|lied|geschichte|nachrichten|artikel|doku)"
    ],
    figurative=[
        r"(?:dieser|diese|dieses|der|die|das) \w+ bringt mich (?:noch )?um|bringt mich noch um|(?:mutter|mama|vater|papa|eltern|chef|chefin)(?: \w+){0,2} bringt mich um",
        r"(?:tot|sterbe|sterben) (?:vor|aus) (?:lachen|langeweile|hunger|hitze|mudigkeit)|todmude|totlachen",
        r"(?:handy|akku|laptop|auto) (?:ist )?(?:tot|gestorben|leer)",
    ],
)
