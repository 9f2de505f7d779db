"""Italian."""

from bot.safety.rules import Lexicon

_PILLOLE = r"(?:pillole|pastiglie|compresse|farmaci|medicine|medicinali|sonniferi|antidepressivi|tachipirina|xanax|capsule)"
_PARTNER = r"(?:il mio (?:ragazzo|fidanzato|marito|compagno|ex|padre|patrigno|fratello)|mio (?:marito|padre|fratello|padrigno)|la mia (?:ragazza|fidanzata|moglie|compagna|madre|ex)|mia (?:moglie|madre))"
_LUI = rf"(?:lui|lei|{_PARTNER})"

LEXICON = Lexicon(
    lang="it",
    negators=["non", "mai", "neanche", "nemmeno", "nessuno", "ne"],
    rules=[
        ("medical", 0.6, r"infarto|attacco di cuore|ictus"),
        (
            "suicidal",
            1.5,
            r"(?:sarebbe|sarebbero|starebbero|starebbe) (?:meglio|piu felici|piu tranquilli) (?:per tutti )?(?:se io non ci fossi|se non ci fossi|se morissi|se sparissi|senza di me)",
        ),
        (
            "suicidal",
            1.2,
            r"non (?:vedo|trovo|ho) (?:piu )?(?:nessun |alcun |un )?(?:motivo|ragione|senso) (?:per|di) (?:andare avanti|vivere|continuare)",
        ),
        (
            "suicidal",
            1.2,
            r"nessuno (?:sentirebbe|noterebbe|si accorgerebbe|mi cercherebbe)|quando non ci saro piu|(?:stanc[ao]|stuf[ao]) di vivere",
        ),
        ("suicidal", 1.0, r"dormire per sempre|sparire per sempre|addormentarmi per sempre"),
        (
            "abuse",
            1.2,
            r"(?:picchia|picchiava|colpisce|mena|strangola) (?:mia madre|mia mamma|mia sorella|mio fratello|mia moglie|mio figlio|mia figlia)",
        ),
        (
            "medical",
            1.5,
            r"(?:svenut[ao]|crollat[ao])(?: e)? non (?:risponde|reagisce|si sveglia|respira)|non risponde piu|(?:credo di|penso di|sto) (?:avere|avendo) un (?:infarto|ictus|attacco di cuore)",
        ),
        (
            "symptom",
            0.4,
            r"da (?:\d+|mezz'?ora|un'?ora|venti|dieci) (?:minuti|ore)|ho (?:la )?nausea|mi gira la testa",
        ),
        (
            "suicidal",
            1.5,
            r"penso (?:spesso |sempre |ogni giorno |tanto )?al suicidio|pensieri di suicidio|pensando al suicidio",
        ),
        (
            "suicidal",
            1.2,
            r"(?:voglio|vorrei|vado a|ho voglia di|sto per|penso di){g} (?:morire|uccidermi|ammazzarmi|sparire per sempre|non svegliarmi piu|farla finita)(?! (?:dal|di|dalle) (?:ridere|fame|sonno|vergogna|caldo|freddo|noia))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:uccidermi|ammazzarmi|suicidarmi|mi ammazzo|mi uccido|togliermi la vita|farla finita|farmi fuori|pensieri suicidi|tentato suicidio|(?:sono|mi sento) suicida|penso al suicidio)(?! dal ridere)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:voglio|vorrei|ho voglia di) (?:solo )?morire(?! (?:dal|di|dalle) (?:ridere|fame|sonno|vergogna|caldo|freddo|noia))",
        ),
        (
            "suicidal",
            1.5,
            r"non (?:voglio|ce la faccio a|ce la faccio piu a|ce la faccio piu|ho (?:piu )?voglia di) (?:piu )?(?:vivere|svegliarmi|esistere|essere qui|andare avanti)(?: piu)?(?! (?:in|con|cosi|li|qui in|da sol))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:spero|vorrei) di non svegliarmi|addormentarmi e non svegliarmi|vorrei essere mort[ao]|vorrei non essere mai nat[ao]",
        ),
        (
            "suicidal",
            1.5,
            r"(?:starebbero|stareste|sarebbero|vivrebbero) (?:tutti )?(?:meglio|piu felici) senza di me|meglio (?:se io|che io) non ci fossi",
        ),
        (
            "suicidal",
            1.2,
            r"(?:nessun|nessuna|non ho(?: nessun| un| una)?|senza) (?:motivo|ragione|senso) (?:per|di) vivere|la vita non ha senso|non vedo (?:il )?senso (?:di|nel) (?:vivere|andare avanti)",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:prendere|ingoiare|mandare giu) (?:tutte le|tutti i|una scatola di|la scatola di|il flacone di)(?: mie| miei)? {_PILLOLE}|{_PILLOLE} (?:pronte|pronti|contate|contati|messe da parte|allineate)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:buttarmi|gettarmi|lanciarmi|saltare) (?:dal|da un|dalla|da una|sotto il|sotto un|sotto al) (?:ponte|palazzo|balcone|finestra|tetto|treno|metro|scogliera)",
        ),
        (
            "suicidal",
            1.2,
            r"lettera d'?addio|il mio ultimo messaggio|dire addio a tutti|vi saluto per sempre",
        ),
        (
            "suicidal",
            1.0,
            r"sono (?:solo )?un peso per|a nessuno mancherei|nessuno sentirebbe la mia mancanza",
        ),
        (
            "suicidal",
            1.5,
            rf"{_LUI} (?:vuole|sta per|dice che vuole|dice che sta per) (?:uccidersi|ammazzarsi|suicidarsi|farla finita)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:tagliarmi|mi taglio|mi sono (?:di nuovo )?tagliat[ao]|mi sto tagliando|autolesion\w*|farmi del male|mi faccio del male|mi sono fatt[ao] del male|bruciarmi|mi sono bruciat[ao] (?:apposta|di proposito))(?! (?:i capelli|cucinando|per sbaglio|con la carta))",
        ),
        (
            "self-harm",
            1.2,
            r"(?:tagli|tagliata|tagliato) (?:sulle|sui|alle|ai) (?:braccia|polsi|cosce|gambe)|apposta (?:di nuovo|ancora)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:ho preso|ho ingoiato|ha preso) (?:tutte le|tutti i|una scatola|troppe|troppi|\d\d+|venti|trenta)(?: \w+){{0,2}} {_PILLOLE}|(?:fatto|avuto) un'?overdose",
        ),
        (
            "abuse",
            1.5,
            r"(?:minacciat[ao]|minaccia|minacciando) di (?:uccidermi|ammazzarmi|picchiarmi)|(?:ha detto|dice) che mi (?:ammazza|uccide)|mi ammazza se",
        ),
        (
            "abuse",
            1.2,
            rf"{_LUI} (?:mi ha (?:picchiat[ao]|colpit[ao]|strangolat[ao]|violentat[ao]|spint[ao]|preso a (?:calci|pugni|schiaffi))|mi picchia|mi mena)|(?:sono stat[ao]) (?:picchiat[ao]|violentat[ao]|aggredit[ao])",
        ),
        (
            "abuse",
            1.5,
            r"mi ha (?:lanciato|tirato) (?:una|un|la|il) (?:sedia|bottiglia|bicchiere|piatto|coltello)",
        ),
        (
            "abuse",
            1.0,
            r"mi ha chius[ao] (?:dentro|in)|non mi lascia (?:uscire|andare)|paura (?:per la mia vita|di lui|di lei|di tornare a casa)",
        ),
        (
            "danger",
            0.6,
            r"(?:nascost[ao]|mi nascondo|chius[ao]) in bagno|(?:sbatte|picchia|prende a calci) (?:contro )?la porta|ubriac[oa]|ho (?:tanta |molta )?paura|fuori casa",
        ),
        (
            "medical",
            0.8,
            r"dolore (?:forte |fortissimo |intenso )?al petto|male al petto|oppressione al petto|peso sul petto",
        ),
        (
            "medical",
            1.0,
            r"non (?:riesco|riesce) a respirare|non respira|mi manca l'?aria|fiato corto",
        ),
        (
            "medical",
            1.5,
            r"convulsion\w*|(?:e )?(?:svenut[ao]|incosciente|privo di sensi|priva di sensi)|non (?:si sveglia|reagisce|risponde)",
        ),
        (
            "medical",
            1.0,
            r"(?:faccia|bocca) (?:storta|cadente)|parla (?:strano|impastato)|non riesce a muovere (?:il braccio|la gamba)",
        ),
        ("medical", 1.2, r"non smette di sanguinare|sanguina (?:tanto|molto)|tanto sangue"),
        (
            "symptom",
            0.5,
            r"braccio (?:sinistro )?(?:intorpidito|addormentato|formicola)|sudo freddo|sudore freddo|sudato|vertigini|nausea|che faccio|cosa faccio|aiuto",
        ),
        (
            "distress",
            0.5,
            r"non ce la faccio piu|non reggo piu|nessuna via d'?uscita|stanca? di tutto|stanotte",
        ),
    ],
    laughter=[
        r"(?:ah){2,}\w*|(?:ha){2,}\w*|ahah\w*|lol\w*|xd+",
        "😂",
        "🤣",
        "😆",
        "💀",
        r"scherzo|sto scherzando",
    ],
    past=[
        r"l'?anno scorso|(?:\d+|un|due|tre|alcuni|molti) (?:anni|anno|mesi) fa|quando ero (?:piccol[ao]|giovane|bambin[ao]|ragazz[ao])|una volta|e mort[ao] (?:di|da|l'?anno)"
    ],
    recent=[r"di nuovo|ancora|stasera|oggi|adesso|ora|ieri|stanotte"],
    settled=[
        r"niente di grave|nulla di grave|(?:ora|adesso|oggi) sto (?:bene|benissimo|meglio)|sto bene da anni"
    ],
    fiction=[
        r"(?:romanzo|libro|film|serie|episodio|personaggio|protagonista|eroe|gioco|canzone|storia|notizie|telegiornale|articolo)"
    ],
    figurative=[
        r"(?:morire|muoio|morto|morta|sto morendo) (?:dal|di|dalle) (?:ridere|fame|sonno|vergogna|caldo|freddo|noia|fatica)|stanca morta|stanco morto",
        r"(?:telefono|cellulare|batteria|portatile|macchina) (?:e )?(?:mort[ao]|scarico)",
        r"(?:mia madre|mio padre|i miei|il capo)(?: \w+){0,2} mi (?:ammazza|uccide)|(?:questo|questa) \w+ mi (?:uccide|ammazza|sta uccidendo)",
    ],
)
