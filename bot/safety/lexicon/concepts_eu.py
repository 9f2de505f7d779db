"""German, French, Spanish, Portuguese, Italian and Dutch concepts (see
bot/safety/concepts.py). Stems and inflections per idea, not sentences; accents are
folded away before matching, so either spelling matches."""

from bot.safety.concepts import Concepts

DE = Concepts(
    lang="de",
    cues={
        "end": (
            r"sterben|sterbe|tot|tod|umbringen|umzubringen|selbstmord|suizid\w*|das leben (?:zu )?nehmen|"
            r"nicht mehr (?:leben|da sein|aufwachen|existieren)|(?:fur immer|endgultig|fur immer und ewig) (?:weg|verschwinden|schlafen|einschlafen)|"
            r"weg sein|ein ende (?:machen|setzen)|schluss machen|(?:von|vor) (?:der|die|den|dem|einer|einen|einem|das) \w+ (?:zu )?spring\w*|"
            r"runterspring\w*|herunterspring\w*|erhang\w*|aufhang\w*|alle (?:tabletten|pillen) (?:nehmen|schlucken)|(?:die ganze|eine ganze) packung|"
            r"wenn ich nicht mehr (?:da )?bin|alles (?:schlucken|nehmen|einwerfen)|alle auf einmal|(?:ist es|ist alles|dann ist es) vorbei"
        ),
        "means": r"tabletten|pillen|medikamente|schlaftabletten|klinge|rasierklinge\w*|messer|brucke|dach|gleis\w*|hochhaus",
        "lethal": r"seil|strick|schlinge|waffe|pistole|gewehr|gift",
        "hoard": (
            r"(?:gesammelt|sammle|sammeln|gehortet|horte|gespart|spare|angespart|gebunkert|bunkere|versteckt|verstecke|beiseite gelegt|zur seite gelegt)"
            r"(?: \w+){0,3} (?:tabletten|pillen|medikamente|schlaftabletten)|"
            r"(?:tabletten|pillen|medikamente|schlaftabletten)(?: \w+){0,3} (?:gesammelt|gehortet|gespart|angespart|gebunkert|versteckt)|(?:tabletten|pillen|medikamente)(?: \w+){0,3} (?:abgezahlt|gezahlt)"
        ),
        "farewell": (
            r"abschied\w*|lebt wohl|leb wohl|verzeiht mir|verzeih mir|danke fur alles|briefe? an (?:meine|meinen|mein)|testament|"
            r"(?:brauche|brauch) (?:sie|es|das|die|ihn)(?: \w+){0,2} (?:nicht mehr|bald nicht)"
        ),
        "giving": r"verschenke\w*(?: \w+){0,2} (?:meine|alle|all meine) (?:sachen|dinge|besitz\w*)|verschenke (?:alles|all meine)|alle meine sachen",
        "burden": r"last fur|eine last|nur eine last|zur last|niemand wurde mich vermissen|wenn ich (?:weg|tot) (?:bin|ware)|fur alle (?:nur (?:noch )?)?(?:ein|eine) (?:problem|last|belastung)",
        "without": r"ohne mich (?:besser|leichter|glucklicher|einfacher)|(?:besser|leichter|glucklicher|einfacher) ohne mich",
        "place": r"(?:auf|an) der (?:brucke|dachkante|brustung|bahnsteigkante)|auf dem (?:dach|gleis)|auf den gleisen",
        "harm": (
            r"ritz\w*|geritzt|(?:schneide|schnitt|verbrenn\w*|verbrannt|verletz\w*|schlage|kratze\w*|zerkratz\w*) (?:mich|mir)|"
            r"(?:mich|mir) (?:\w+ ){0,3}(?:aufgeschnitten|geschnitten|verbrannt|verletzt|zerkratzt|geritzt)|selbstverletz\w*|"
            r"zigarette\w* auf (?:meiner|der|meinem) (?:haut|arm)|auf meiner haut aus|(?:arme|arm|handgelenk\w*|beine|oberschenkel) aufgeschnitten"
        ),
        "feel": r"(?:damit|um) ich (?:was|etwas|mich) (?:spure|fuhle|zu spuren)|was (?:zu )?spuren|absichtlich",
        "blood": r"blut\w*",
        "ingest": r"(?:hat|habe) (?:\w+ ){0,3}(?:tabletten|pillen) (?:genommen|geschluckt)|etwas geschluckt|verschluckt",
        "habit": r"wieder|kann nicht aufhoren|niemand weiss (?:es|davon)|hilft mir|jeden (?:tag|abend)",
        "want": r"will|mochte|mocht|wurde gern|werde|wunsche mir|plane|vorhabe|vor habe|denke (?:an|daran|uber)|dachte (?:an|daran)|bereit|entschlossen",
        "when": r"heute nacht|heute abend|heute|morgen|bald|jetzt|gleich|am wochenende|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag",
        "decided": r"entschieden|steht fest|(?:ausgesucht|geplant|uberlegt) wie|wie und wann|kein scherz|ich meine es ernst|alles (?:vorbereitet|geregelt|bereit)|alles (?:ist )?(?:vorbereitet|erledigt)",
        "hopeless": (
            r"keine kraft mehr|kein sinn|keinen sinn|sinnlos|wozu noch|kann nicht mehr|halte (?:es|das) nicht mehr aus|keinen ausweg|"
            r"hoffnungslos|aufgeben|gebe auf|(?:mude|satt) (?:zu leben|vom leben)|alles egal|ich (?:will|mag) nicht mehr"
        ),
        "ominous": r"ihr wisst warum|du weisst warum|bevor ich gehe|ein letztes mal|letzte (?:nachricht|mal)|(?:jemand|einer|du) (?:soll|sollte) es wissen",
        "violence": (
            r"(?:schlagt|schlug|verprugelt|prugelt|wurgt|tritt|schubst|vergewaltigt|begrapscht) (?:mich|uns|meine \w+|meinen \w+)|"
            r"(?:mich|uns)(?: \w+){0,3} (?:geschlagen|verprugelt|gewurgt|getreten|gestossen|geschubst|vergewaltigt|angegriffen)|an den haaren(?: \w+){0,3} gezogen|(?:hande|hand) um (?:meinen|den) hals|(?:hat|haben) mich(?: \w+){0,3} (?:geschlagen|gewurgt|gezogen|getreten)"
        ),
        "threat": r"umbringen|toten|umzubringen|abstechen|erschiessen|droht\w*|gedroht|bedroht|(?:mit|hat) (?:einem|einer|ein) (?:messer|waffe|pistole)|weiss wo ich wohne|(?:er|sie|mein \w+|meine \w+)(?: \w+){0,2} bringt mich um|bringt uns um",
        "confine": (
            r"lasst mich nicht (?:raus|gehen|weg)|eingesperrt|sperrt mich ein|schliesst mich ein|(?:steht|wartet|hammert|klopft|schreit)(?: \w+){0,2} vor (?:der|meiner) tur|"
            r"verfolgt mich|handy weggenommen|trau mich nicht (?:nach hause|heim|raus)"
        ),
        "perpetrator": r"mein (?:mann|freund|ex|vater|papa|stiefvater|bruder|partner|onkel|mitbewohner|nachbar)|meine (?:frau|freundin|mutter|mama|partnerin|ex)|er",
        "fear": r"angst|hilfe|was soll ich tun|weiss nicht was ich tun soll|versteck\w*|bitte hilf",
        "collapse": r"umgefallen|umgekippt|zusammengebrochen|zusammengeklappt|ohnmacht\w*|kollabiert|gesturzt",
        "unresponsive": r"reagiert nicht|antwortet nicht|wacht nicht auf|bewusstlos|nicht ansprechbar|bewegt sich nicht",
        "breath": r"atmet (?:nicht|kaum|komisch|schwer|seltsam)|kann nicht atmen|bekomme keine luft|keine luft|blau (?:an|im gesicht)|blaue lippen|ringt nach luft",
        "numbside": r"(?:gesicht|mund|mundwinkel) (?:hangt|hangen|schief)|(?:eine|rechte|linke) (?:seite|korperhalfte) (?:ist )?(?:taub|gelahmt|gefuhllos)",
        "speech": r"lallt|spricht (?:verwaschen|komisch|undeutlich|wirr)|kann nicht (?:mehr )?(?:richtig )?sprechen|redet wirr",
        "seizure": r"krampfanfall|krampft|zuckt am ganzen korper",
        "anaphylaxis": r"(?:hals|rachen|zunge|lippen) (?:schwillt|schwellen|geschwollen|schnurt sich zu)|anaphylakt\w*|allergischer schock",
        "chest": r"(?:schmerz\w*|druck|enge|stechen) (?:in|auf) der brust|brustschmerz\w*|brust (?:tut weh|schmerzt|druckt)|herzinfarkt",
        "sweat": r"schwitze|schweiss\w*|kaltschweissig",
        "radiate": r"(?:linker|linke|linken|rechter) arm|arm (?:kribbelt|ist taub|taub)|kiefer|strahlt aus|ausstrahl\w*",
        "cause": r"seit (?:einer|einer halben|zwanzig|zehn|\d+) (?:stunde|stunden|minuten)|gestochen|allergi\w*|verschluckt|etwas genommen",
    },
    me=r"ich|mich|mir|mein\w*",
    other=r"er|sie|jemand|ein mann|eine frau|der (?:held|kommissar|tater|mann)|die (?:figur|heldin)|leute",
    figurative=(
        r"(?:zwiebel\w*|kochen|gemuse\w*|rasieren|finger|haare|bart|papier)",
        r"(?:handy|akku|laptop|auto) (?:ist )?(?:schon )?(?:wieder )?(?:tot|gestorben)",
        r"sterbe (?:gleich )?vor|tot vor",
    ),
)

FR = Concepts(
    lang="fr",
    cues={
        "end": (
            r"mourir|meurs|mort|morte|me tuer|me suicider|suicid\w*|en finir(?! avec (?:ce|cette|ces|le|la|les|mon|ma|mes|un|une|son|sa|ses|l'))|mettre fin a (?:mes jours|ma vie|tout)|"
            r"disparaitre (?:pour de bon|pour toujours|a jamais|definitivement)|ne plus (?:me reveiller|exister|etre la)|me pendre|"
            r"sauter (?:du|d'?un|de la|par)|je saute|la fin pour moi|tout arreter|partir pour de bon|quand je ne serai plus (?:la|ici)|tout avaler|tout prendre d'?un coup|avaler (?:toute la boite|tous les)"
        ),
        "means": r"medicaments|cachets|comprimes|pilules|somniferes|lame|rasoir|couteau|pont|toit|rails|voie ferree",
        "lethal": r"corde|arme|pistolet|fusil|poison|javel",
        "hoard": (
            r"(?:garde|cache|stocke|accumule|economise|mis de cote|amasse|garde de cote|collectionne)(?: \w+){0,4} (?:medicaments|cachets|comprimes|pilules|somniferes)|"
            r"dans (?:plusieurs|trois|deux|differentes|quatre) pharmacies|pour en avoir assez"
        ),
        "farewell": (
            r"adieu|lettres? (?:d'?adieu|a ma|a mon|a mes|pour ma|pour mon|pour mes)|pardonnez-?moi|pardonne-?moi|merci pour tout|"
            r"au revoir (?:a tous|pour toujours)|testament|(?:donne|confie) mon (?:chat|chien)|n'?en aurai plus besoin|(?:voulais|veux) (?:juste )?(?:dire|te dire) (?:merci|au revoir|adieu)"
        ),
        "giving": r"(?:donne|donner|distribue|range|ranger)(?: \w+){0,2} (?:toutes )?mes affaires|donne tout ce que j'?ai",
        "burden": r"un poids|un fardeau|si je n'?etais plus la|personne ne (?:me regretterait|remarquerait)|sans moi",
        "without": r"(?:mieux|plus tranquilles?|plus heureux|plus heureuse|plus heureuses|soulages?) sans moi",
        "place": r"sur (?:le|la) (?:pont|toit|rebord|voie|corniche)",
        "harm": (
            r"(?:me suis|me) (?:\w+ ){0,2}(?:brule\w*|scarifi\w*|mutile\w*|griffe\w*|taillade\w*|entaille\w*)|scarif\w*|automutil\w*|"
            r"me fais(?: du)? mal|me faire (?:du )?mal|me suis (?:encore )?coupee? (?:les|le|la)"
        ),
        "feel": r"(?:pour|afin de) (?:ne plus rien |rien |quelque chose )?(?:ressentir|sentir)|sentir quelque chose|expres",
        "blood": r"sang\w*|saign\w*",
        "ingest": r"a (?:avale|pris) (?:des|les|quelque chose|plein de)",
        "habit": r"encore|recommence|arrive pas a arreter|personne ne (?:le )?sait|ca m'?aide|me soulage|pour (?:me )?soulager",
        "want": r"veux|voudrais|vais|envie de|compte|pense a|prete? a|prevu|j'?aimerais",
        "when": r"ce soir|cette nuit|demain|bientot|maintenant|aujourd'?hui|ce week-?end",
        "decided": r"c'?est decide|j'?ai decide|ma decision est prise|tout est pret|c'?est prevu|(?:j'?ai )?prepare tout|tout prepare|tout ce qu'?il faut",
        "hopeless": (
            r"(?:j'?en )?peux plus|(?:plus rien|rien) n'?a de sens|aucun sens|a quoi bon|sans espoir|j'?abandonne|"
            r"plus la force|fatiguee? de vivre|marre de (?:vivre|tout)|la fin pour moi|ne vois plus (?:aucune|de) raison|aucune raison de (?:continuer|vivre|rester)"
        ),
        "ominous": r"pourquoi je pars|(?:expliquer|explique) pourquoi|une derniere fois|c'?est la fin|avant de partir|vous comprendrez",
        "violence": r"(?:m'?a|me) (?:frappe\w*|battu\w*|bat|etrangl\w*|pousse\w*|gifle\w*|viol\w*|cogne\w*|tabass\w*)|serre (?:le cou|la gorge)|mains autour (?:de mon|du) cou",
        "threat": r"me tuer|menace\w*|avec un couteau|sait ou j'?habite",
        "confine": r"m'?enferme\w*|enfermee?|me laisse pas (?:sortir|partir)|(?:pris|prend|confisque) mon (?:telephone|portable)|devant (?:ma|la) porte|me suit",
        "perpetrator": r"mon (?:copain|mari|pere|beau-pere|ex|frere|oncle|compagnon)|ma (?:copine|femme|mere)|il|elle",
        "fear": r"peur|aidez|au secours|je sais pas quoi faire|qu'?est-ce que je fais",
        "collapse": r"tombe\w* (?:par terre|au sol)|s'?est effondre\w*|evanoui\w*|malaise|perdu connaissance",
        "unresponsive": r"ne repond (?:plus|pas)|inconscient\w*|ne se reveille pas|ne bouge plus",
        "breath": r"respire (?:mal|plus|pas|difficilement)|(?:n'?arrive|arrive) pas a respirer|peux pas respirer|etouffe|levres bleues",
        "numbside": r"visage (?:qui tombe|affaisse|de travers)|bouche de travers|(?:cote|moitie) du (?:corps|visage)",
        "speech": r"parle (?:bizarrement|mal|de travers|difficilement)|n'?arrive plus a parler|bafouille",
        "seizure": r"convuls\w*|crise d'?epilepsie",
        "anaphylaxis": r"gorge (?:qui )?(?:gonfle|se ferme|serree)|(?:levres|langue) (?:qui )?gonfle\w*|choc anaphylactique",
        "chest": r"douleur\w* (?:\w+ ){0,2}(?:dans |a )la poitrine|mal (?:a|dans) la poitrine|poitrine serree|oppression thoracique",
        "sweat": r"transpire|sueur\w*|suee?s? froides?",
        "radiate": r"(?:dans|vers) le bras|bras (?:gauche|engourdi)|machoire|descend dans",
        "cause": r"depuis (?:\d+|une|vingt|dix) (?:minutes|heure|heures)|pique\w*|allergi\w*|avale",
    },
    me=r"je|j'\w*|me|moi|mon|ma|mes|m'\w*",
    other=r"il|elle|ils|elles|quelqu'?un|un homme|une femme|le heros|l'?heroine|le personnage",
    past=(r"quand j'?etais (?:ado|adolescente?)|aujourd'?hui ca va",),
    figurative=(
        r"cuisin\w*|legumes|rasant|cheveux|ongles|doigt",
        r"me faire tuer par",
        r"mort de (?:rire|fatigue)",
    ),
)

ES = Concepts(
    lang="es",
    cues={
        "end": (
            r"morir\w*|muerte|muerto|muerta|matarme|me mato|me voy a matar|suicid\w*|quitarme la vida|acabar con (?:todo|mi vida)|"
            r"terminar con todo|desaparecer para siempre|no despertar\w*|dejar de existir|tirarme|me tiro|irme para siempre|"
            r"no (?:quiero|puedo) seguir(?: aqui| viviendo| asi| con vida)?|no quiero (?:vivir|estar aqui|despertar)|"
            r"por si no estoy|cuando (?:ya )?no este|si ya no estoy|tomarme todo|tragarme todo|toda la caja|de una vez|acabar con esto|cuando me vaya"
        ),
        "means": r"pastillas|pastilla|medicamentos|somniferos|cuchilla|navaja|cuchillo|puente|azotea|tejado|vias del tren",
        "lethal": r"cuerda|soga|pistola|arma|veneno|lejia",
        "hoard": (
            r"(?:juntando|junto|guardando|guardo|acumulando|acumulo|escondiendo|ahorrando|he juntado|he guardado|he acumulado|escondo)"
            r"(?: \w+){0,3} (?:pastillas|medicamentos|somniferos|pildoras)"
        ),
        "farewell": r"despedi\w*|adios a todos|cartas? (?:a|para) (?:mis|mi)|perdon(?:enme|ame)|gracias por todo|testamento|(?:ya )?no (?:las|los|lo|la) voy a necesitar|(?:que hagan|hacer) con mis cosas",
        "giving": r"regal\w*(?: \w+){0,2} (?:todas )?mis cosas|(?:di|dando|doy|regalando) (?:todas )?mis cosas",
        "burden": r"una carga|un estorbo|si yo no estuviera|nadie me (?:extranaria|echaria de menos)",
        "without": r"(?:mejor|mejores|felices|tranquilos|tranquilas) sin mi|sin mi (?:estarian|serian|seria)",
        "place": r"(?:en|sobre) (?:la|el) (?:azotea|puente|tejado|cornisa|borde)",
        "harm": (
            r"me (?:corte|corto|cortaba|estoy cortando|queme|quemo|lastimo|lastime|hago dano|hice dano|golpeo|rasguno)|"
            r"cortarme|quemarme|lastimarme|hacerme dano|autolesion\w*"
        ),
        "feel": r"para sentir (?:algo|dolor)|sentir algo|a proposito|aproposito",
        "blood": r"sangr\w*|sangre",
        "ingest": r"se (?:tomo|trago|comio) (?:unas|las|todas|algo|pastillas)",
        "habit": r"otra vez|de nuevo|no puedo parar|nadie (?:lo )?sabe|me ayuda|me alivia|para aliviar",
        "want": r"quiero|quisiera|voy a|pienso (?:en)?|planeo|estoy pensando|tengo ganas|me gustaria",
        "when": r"esta noche|hoy|manana|ahora|pronto|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|este fin de semana",
        "decided": r"lo tengo (?:todo )?(?:planeado|decidido|pensado)|ya lo decidi|esta decidido|lo decidi|no es broma|va en serio|ya (?:lo )?tengo todo (?:listo|preparado)|todo (?:esta )?listo",
        "hopeless": r"no aguanto|no puedo mas|ya no puedo|sin sentido|no tiene sentido|no hay salida|sin esperanza|me rindo|cansad[oa] de vivir|para que seguir",
        "ominous": r"sin que se (?:dieran|den) cuenta|por ultima vez|ultima vez|antes de irme|ya sabes por que",
        "violence": r"me (?:pega|pego|golpea|golpeo|pegan|maltrata|empuja|empujo|ahorco|estrangulo|viola|violo|ahorca)|me ha (?:pegado|golpeado|violado)|paliza|golpiza|me (?:dio|da) (?:una )?(?:bofetada|patada|cachetada)|me apreto el cuello",
        "threat": r"me (?:va a matar|quiere matar|amenaza\w*|amenazo)|amenaz\w*|con un cuchillo|con una pistola|sabe donde vivo",
        "confine": r"no me deja (?:salir|irme|ir)|me encerro|me encierra|encerrad[ao]|(?:afuera|fuera|frente) de (?:mi|la) (?:puerta|casa)|me sigue",
        "perpetrator": r"mi (?:esposo|marido|novio|padre|padrastro|papa|ex|hermano|tio|pareja|esposa|novia)",
        "fear": r"miedo|ayuda|auxilio|que hago|no se que hacer|escondid[ao]",
        "collapse": r"se desmayo|desmayad[oa]|se cayo|se desplomo|colaps\w*|perdio el conocimiento",
        "unresponsive": r"no responde|no reacciona|no despierta|inconsciente|no se mueve",
        "breath": r"no respira|respira (?:mal|raro|con dificultad)|no puede respirar|no puedo respirar|se ahoga|labios azules|labios morados",
        "numbside": r"(?:no siento|siento dormida) (?:la mitad|un lado)|la mitad de la cara|cara (?:caida|torcida)|boca torcida|un lado del cuerpo",
        "speech": r"no (?:puedo|puede) hablar bien|habla raro|arrastra las palabras|balbucea",
        "seizure": r"convulsion\w*|convulsiona\w*|ataque epileptico",
        "anaphylaxis": r"garganta (?:se cierra|cerrada|hinchada)|(?:labios|lengua) hinchad\w*|anafila\w*",
        "chest": r"dolor (?:\w+ ){0,2}(?:en el|de) pecho|me duele el pecho|presion en el pecho|opresion en el pecho",
        "sweat": r"sudor\w*|sudando|sudo",
        "radiate": r"brazo izquierdo|brazo (?:dormido|entumecido)|mandibula",
        "cause": r"hace (?:\d+|media|una|veinte|diez) (?:minutos|hora|horas)|picadura|alergi\w*|se trago",
    },
    me=r"yo|me|mi|mis|conmigo",
    other=r"ella|ellos|alguien|un hombre|una mujer|el protagonista|la protagonista|el personaje",
    past=(r"de (?:adolescente|nina|nino|joven|chica|chico)|ya llevo|llevo anos|hace anos",),
    figurative=(
        r"pelo|cabello|(?:las|mis) unas|cocinando|dedo",
        r"(?:madre|mama|padre|papa|jefe) me va a matar",
        r"muert[oa] de (?:risa|cansancio|hambre)",
        r"desaparecer del trabajo",
    ),
)

PT = Concepts(
    lang="pt",
    cues={
        "end": (
            r"morrer|morto|morta|morte|me matar|suicid\w*|tirar (?:a )?minha (?:propria )?vida|acabar com (?:tudo|minha vida)|"
            r"sumir para sempre|nunca mais acordar|nao acordar mais|pular da|pular de|me jogar|deixar de existir|"
            r"nao (?:quero|aguento) (?:mais )?viver|todos os remedios|tomar tudo|quando eu nao estiver (?:mais )?aqui|tomar tudo|engolir tudo|de uma vez|acabar com isso"
        ),
        "means": r"remedios|comprimidos|pilulas|calmantes|lamina|gilete|faca|ponte|telhado|predio|trilhos",
        "lethal": r"corda|arma|revolver|veneno|chumbinho",
        "hoard": r"(?:juntando|guardando|escondendo|acumulando|guardei|juntei|escondi|acumulei)(?: \w+){0,3} (?:remedios|comprimidos|pilulas|calmantes)",
        "farewell": (
            r"despedida|me despedi|adeus|carta (?:para|pra|a) (?:minha|meu|meus|minhas)|me perdoem|me perdoa|obrigad[oa] por tudo|testamento|"
            r"nao vou (?:mais )?precisar(?: mais)?|(?:deixei|escrevi) (?:um|uma) (?:bilhete|carta)|bilhete (?:pra|para) (?:minha|meu|meus|minhas)"
        ),
        "giving": r"(?:dei|doei|dando|doando|distribui)(?: \w+){0,2} (?:todas )?(?:as )?minhas coisas",
        "burden": r"um peso|um fardo|se eu nao estivesse aqui|ninguem (?:sentiria|vai sentir) (?:minha )?falta",
        "without": r"(?:melhor|melhores|felizes|em paz) sem mim|sem mim (?:seria|ficaria|ficariam)",
        "place": r"(?:na|no|em cima da|em cima do) (?:ponte|telhado|beirada|parapeito|trilho)",
        "harm": r"me (?:cortei|corto|cortando|machuco|machuquei|queimo|queimei|arranho|bato)|me cortar|me machucar|me ferir|automutila\w*|autolesao",
        "feel": r"para sentir (?:algo|alguma coisa|dor)|de proposito",
        "blood": r"sangu\w*|sangr\w*",
        "ingest": r"(?:tomou|engoliu) (?:uns|umas|os|as|algo|remedios)",
        "habit": r"de novo|outra vez|nao consigo parar|ninguem sabe|pra aliviar|para aliviar|me alivia",
        "want": r"quero|queria|vou|penso em|pensando em|planejando|vontade de",
        "when": r"hoje a noite|hoje|amanha|agora|esta noite|essa noite|logo|nesse fim de semana",
        "decided": r"ja decidi|esta decidido|(?:ta|esta) tudo planejado|nao e brincadeira|e serio|serio|(?:ja )?(?:esta )?tudo (?:pronto|preparado)|ja preparei tudo",
        "hopeless": r"sem forcas|nao tenho (?:mais )?forcas|nao aguento|nao consigo mais|sem sentido|nao tem sentido|sem saida|desisti\w*|cansad[oa] de viver|pra que continuar",
        "ominous": r"ultima vez|antes de ir|voces vao entender|vai entender",
        "violence": r"me (?:bateu|bate|espancou|espanca|empurrou|estrangulou|enforcou|agrediu|agride|estuprou)|me (?:deu|da) (?:uma )?(?:surra|porrada|tapa|sova)|apertou (?:o )?meu pescoco",
        "threat": r"(?:vai|vou|ia) me matar|ameac\w*|com uma faca|sabe onde eu moro|se eu (?:for embora|contar|sair|largar)",
        "confine": r"trancou (?:a porta|me)|me tranca|nao me deixa sair|pegou meu celular|na (?:minha )?porta",
        "perpetrator": r"meu (?:marido|namorado|pai|padrasto|ex|irmao|tio|companheiro)|minha (?:esposa|namorada|mae|madrasta)|ele",
        "fear": r"medo|socorro|ajuda|o que eu faco|nao sei o que fazer",
        "collapse": r"desmaiou|desmaiad[oa]|caiu|desabou|perdeu a consciencia",
        "unresponsive": r"nao responde|nao acorda|inconsciente|nao se mexe|nao reage",
        "breath": r"nao respira|respirando (?:estranho|mal|com dificuldade)|nao (?:consigo|consegue) respirar|labios roxos|ficando roxo",
        "numbside": r"(?:metade|lado) do (?:rosto|corpo)|rosto (?:caido|torto)|boca torta",
        "speech": r"fala enrolada|falando enrolado|nao consegue falar|fala estranho",
        "seizure": r"convuls\w*|ataque epileptico|crise epileptica",
        "anaphylaxis": r"garganta (?:fechando|inchada)|(?:labios|lingua) inchad\w*|anafila\w*",
        "chest": r"dor (?:\w+ ){0,2}no peito|aperto no peito|peito (?:doendo|apertado)",
        "sweat": r"suando|suor|suado",
        "radiate": r"braco esquerdo|braco (?:dormente|formigando)|mandibula",
        "cause": r"ha (?:\d+|meia|uma|vinte|dez) (?:minutos|hora|horas)|picad\w*|alergi\w*|engoliu",
    },
    me=r"eu|me|meu|minha|meus|minhas|comigo",
    other=r"ele|ela|eles|alguem|um homem|uma mulher|o personagem|o protagonista",
    past=(r"na adolescencia|quando eu era|hoje (?:to|estou) (?:bem|melhor)",),
    figurative=(
        r"(?:mae|pai|chefe) vai me matar",
        r"morri de rir|mort[oa] de (?:cansaco|rir|fome)",
        r"dedo|cabelo|unha|salada|cozinhando",
    ),
)

IT = Concepts(
    lang="it",
    cues={
        "end": (
            r"morire|morto|morta|morte|uccidermi|ammazzarmi|suicid\w*|farla finita|la faccio finita|togliermi la vita|sparire per sempre|"
            r"sparissi|non svegliarmi piu|buttarmi|mi butto|non esserci piu|quando non ci saro|non ci saro piu|smettere di esistere|ingoiare tutto|prendere tutto|tutte insieme|tutta la scatola"
        ),
        "means": r"pastiglie|pillole|farmaci|medicine|sonniferi|lametta|rasoio|coltello|ponte|tetto|binari",
        "lethal": r"corda|pistola|arma|veleno|candeggina",
        "hoard": (
            r"(?:messo da parte|mettendo da parte|accumulat\w*|accumul\w*|nascost\w*|conservat\w*|raccolt\w*|raccogliendo)"
            r"(?: \w+){0,3} (?:pastiglie|pillole|farmaci|sonniferi|medicine)"
        ),
        "farewell": r"addio|lettera (?:ai|alla|al|per)|lettere (?:ai|per)|perdonatemi|perdonami|grazie di tutto|testamento|(?:salutat\w*|saluto) tutti",
        "giving": r"(?:regalat\w*|regalo|dato via|dando via)(?: \w+){0,2} (?:tutte )?le mie cose",
        "burden": r"un peso|se non ci fossi|nessuno (?:sentirebbe|sentira) la mia mancanza",
        "without": r"(?:meglio|piu felici|piu tranquilli) (?:per tutti )?(?:senza di me|se (?:sparissi|morissi|non ci fossi))|senza di me (?:starebbero|sarebbe)",
        "place": r"sul (?:tetto|ponte|cornicione|davanzale)|sui binari",
        "harm": r"mi (?:sono )?(?:tagliat\w*|taglio|bruciat\w*|brucio|ferit\w*|ferisco|graffi\w*|colpisco|faccio (?:del )?male)|tagliarmi|farmi (?:del )?male|autolesion\w*",
        "feel": r"per sentire (?:qualcosa|il dolore)|apposta",
        "blood": r"sangu\w*|sangue",
        "ingest": r"ha (?:preso|ingoiato|mangiato) (?:delle|le|qualcosa|pastiglie)",
        "habit": r"di nuovo|ancora|non riesco a smettere|nessuno lo sa|mi aiuta|per sfogarmi",
        "want": r"voglio|vorrei|sto pensando|penso di|penso a|ho intenzione|sto per",
        "when": r"stanotte|stasera|oggi|domani|adesso|ora|presto|questo fine settimana",
        "decided": r"ho deciso|e deciso|ho gia deciso|non scherzo|sul serio|ho (?:gia )?tutto pronto|ho preparato tutto|e tutto pronto",
        "hopeless": r"non ce la faccio|non ha (?:piu )?senso|senza senso|nessuna speranza|mi arrendo|stanc[oa] di vivere|non ne posso piu|a che serve",
        "ominous": r"per l'?ultima volta|ultima volta|capirete|prima di andarmene",
        "violence": r"mi (?:ha )?(?:picchiat\w*|picchia|colpit\w*|colpisce|strangolat\w*|spint\w*|violentat\w*|pesta)|mani al collo|stretto il collo|mi ha dato (?:uno schiaffo|un pugno|botte)",
        "threat": r"mi (?:ammazza|uccide|ammazzera|uccidera)|minacci\w*|con un coltello|sa dove abito|se parlo|se lo dico",
        "confine": r"mi chiude in casa|mi ha chiuso|chiusa in casa|non mi lascia uscire|mi ha preso il telefono|davanti alla (?:mia )?porta|mi segue",
        "perpetrator": r"mio (?:marito|ragazzo|padre|patrigno|compagno|ex|fratello|zio)|mia (?:moglie|ragazza|matrigna)|il mio (?:ragazzo|compagno)|lui",
        "fear": r"paura|aiuto|aiutami|che faccio|cosa faccio|non so cosa fare",
        "collapse": r"svenut[oa]|crollat[oa]|e caduto|e caduta|collass\w*|perso i sensi",
        "unresponsive": r"non (?:si )?sveglia|non risponde|non reagisce|incoscient\w*|non si muove",
        "breath": r"non respira|respira (?:male|a fatica|strano)|non (?:riesco|riesce) a respirare|labbra blu|cianotic\w*",
        "numbside": r"bocca storta|faccia storta|viso cadente|meta del (?:viso|corpo)|un lato del (?:corpo|viso)",
        "speech": r"parla strano|parla male|non riesce a parlare|biascica|farfuglia",
        "seizure": r"convulsion\w*|crisi epilettica|attacco epilettico",
        "anaphylaxis": r"gola (?:chiusa|si chiude|gonfia)|(?:labbra|lingua) gonfi\w*|anafilatt\w*",
        "chest": r"dolore (?:\w+ ){0,2}al petto|male al petto|oppressione al petto|petto (?:stretto|che fa male)",
        "sweat": r"sud\w*|sudore",
        "radiate": r"braccio sinistro|braccio (?:intorpidito|formicol\w*)|mascella",
        "cause": r"all'?improvviso|da (?:\d+|mezz'?ora|un'?ora|venti|dieci) (?:minuti|ore)|punt[oa] da|allergi\w*|ingoiat\w*",
    },
    me=r"io|mi|me|mio|mia|miei|mie",
    other=r"lui|lei|loro|qualcuno|un uomo|una donna|il protagonista|la protagonista|il personaggio",
    past=(r"da (?:ragazza|ragazzo|piccola|piccolo|adolescente)|da anni|ora sto bene",),
    figurative=(
        r"capelli|unghie|cucinando|dito",
        r"(?:madre|mamma|padre|papa|capo) mi (?:ammazza|uccide)",
        r"stanc[oa] mort[oa]|morendo dal ridere",
    ),
)

NL = Concepts(
    lang="nl",
    cues={
        "end": (
            r"dood|doodgaan|sterven|zelfmoord|suicid\w*|mezelf (?:van kant maken|ombrengen|doden|iets aandoen)|er (?:een )?einde aan maken|"
            r"er niet meer (?:zijn|wil zijn)|niet meer wakker worden|er niet meer ben|voor de trein springen|verdwijnen voor altijd|voorgoed weg|alles (?:innemen|slikken)|in een keer|einde aan(?: \w+)? (?:maken|mijn leven)|er een eind(?:e)? aan|(?:een )?einde (?:aan )?maken"
        ),
        "means": r"pillen|tabletten|medicijnen|slaappillen|mesje|scheermesje|mes|brug|dak|spoor|trein",
        "lethal": r"touw|strop|pistool|wapen|vergif",
        "hoard": (
            r"(?:spaar|gespaard|verzamel|verzameld|verstop|verstopt|bewaar|bewaard|hamster|gehamsterd)(?: \w+){0,3} (?:pillen|tabletten|medicijnen|slaappillen)|"
            r"(?:pillen|tabletten|medicijnen|slaappillen)(?: \w+){0,2} (?:opgespaard|verzameld|verstopt)"
        ),
        "farewell": r"afscheid\w*|brie(?:f|ven) (?:voor|aan) (?:mijn|m'n)|vergeef me|bedankt voor alles|dag allemaal|testament",
        "giving": r"(?:weggegeven|geef weg|verdeeld|weggeven)(?: \w+){0,2} (?:al )?mijn spullen|mijn spullen (?:weggegeven|weg)",
        "burden": r"een last|tot last|niemand zou me missen|niemand (?:zal|gaat|zou) me missen",
        "without": r"(?:beter|makkelijker|gelukkiger) af zonder mij|zonder mij (?:beter|makkelijker)|(?:makkelijker|beter) als ik er niet (?:meer )?(?:ben|zou zijn)",
        "place": r"op (?:het|de) (?:spoor|brug|dak|rand|reling)",
        "harm": (
            r"(?:mezelf|mijzelf) (?:\w+ ){0,2}(?:gesneden|snijden|snijd|pijn doen|verwond\w*|branden|brand|gekrast|krassen|slaan)|"
            r"(?:snijd|brand|kras|sla|verwond) (?:mezelf|mijzelf)|(?:snijd|kras|brand)(?: \w+){0,2} in mijn (?:armen|polsen|benen|huid)|in mijn (?:armen|polsen|benen) (?:gekrast|gesneden|krassen|snijden)|gekrast|automutil\w*|zelfbeschadig\w*"
        ),
        "feel": r"om (?:iets|wat) te voelen|iets te voelen|expres",
        "blood": r"bloed\w*",
        "ingest": r"(?:heeft|ingenomen|geslikt) (?:\w+ ){0,2}(?:pillen|tabletten|iets)|iets ingeslikt",
        "habit": r"weer|opnieuw|kan niet stoppen|niemand weet (?:het|ervan)|het helpt",
        "want": r"wil|zou willen|ga|denk (?:aan|erover)|van plan|klaar om",
        "when": r"vanavond|vannacht|vandaag|morgen|nu|straks|binnenkort|dit weekend",
        "decided": r"besloten|alles (?:al )?geregeld|het is beslist|geen grap|ik meen het|alles (?:al )?(?:klaar|voorbereid)|klaarliggen|klaar liggen",
        "hopeless": r"ik kan niet meer|kan het niet meer aan|geen zin meer|zinloos|geen uitweg|hopeloos|ik geef op|moe van het leven",
        "ominous": r"laatste keer|voor het laatst|te wachten|jullie zullen het begrijpen",
        "violence": r"(?:heeft|hebben) me (?:geslagen|geschopt|gewurgd|geduwd|verkracht|aangevallen)|slaat me|schopt me|wurgt me|me (?:geslagen|geschopt|gewurgd|verkracht)|slaat(?: \w+){0,3} (?:mij|me)|handen om mijn (?:keel|nek)",
        "threat": r"dreigt|dreigde|gedreigd|me iets aan te doen|vermoorden|vermoordt me|met een mes|weet waar ik woon",
        "confine": r"laat me niet (?:weg|gaan|los|naar buiten)|sluit me op|opgesloten|(?:staat|wacht|bonkt)(?: \w+){0,2} voor de deur|volgt me|telefoon afgepakt",
        "perpetrator": r"mijn (?:vriend|man|vader|stiefvader|ex|broer|oom|partner|vriendin|vrouw)|hij",
        "fear": r"bang|help|wat moet ik doen|weet niet wat ik moet doen|verstopt",
        "collapse": r"in elkaar gezakt|ingestort|flauwgevallen|neergevallen|gevallen en",
        "unresponsive": r"reageert (?:niet|nergens op)|wordt niet wakker|niet aanspreekbaar|bewusteloos|beweegt niet",
        "breath": r"ademt (?:niet|raar|moeilijk|slecht)|kan niet ademen|krijg(?:t)? geen lucht|blauwe lippen|blauw aan|ademt (?:heel |erg |zo )(?:raar|moeilijk|slecht)",
        "numbside": r"gezicht (?:hangt|scheef)|mond (?:hangt|scheef)|(?:een|de) kant van (?:mijn|zijn|haar) (?:gezicht|lichaam)",
        "speech": r"praat (?:raar|vreemd|onduidelijk)|kan niet (?:meer )?praten|brabbelt",
        "seizure": r"stuip\w*|epileptische aanval|toeval",
        "anaphylaxis": r"keel (?:zwelt|dicht|gezwollen)|(?:lippen|tong) (?:zwellen|gezwollen)|anafylact\w*",
        "chest": r"pijn (?:\w+ ){0,2}(?:op|in) (?:de|mijn) borst|druk op (?:de|mijn) borst|beklemmend gevoel|hartaanval",
        "sweat": r"zweet\w*|zweten|klam",
        "radiate": r"linkerarm|arm (?:is )?(?:gevoelloos|tintelt|doof)|kaak|straalt uit",
        "cause": r"sinds (?:\d+|een|twintig|tien|een half) (?:minuten|uur)|gestoken|allergi\w*|ingeslikt",
    },
    me=r"ik|me|mij|mijn|m'n|mezelf|mijzelf",
    other=r"hij|zij|ze|iemand|een man|een vrouw|de hoofdpersoon|het personage",
    past=(r"nu gaat het|al jaren goed",),
    figurative=(
        r"(?:moeder|vader|baas) vermoordt me",
        r"doodmoe|dood van de|lach me dood",
        r"koken|haar|nagels|vinger",
    ),
)

CONCEPTS = [DE, FR, ES, PT, IT, NL]
