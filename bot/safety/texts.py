"""What the companion says on its own, without a model, in the person's language.

Short, warm and plain, like a friend who stops everything: no lecture, no "I'm just
an AI" brush-off, and no feelings it cannot have (it says "I'm here", never "I'm
worried about you" or "I'll miss you")."""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.helplines import FALLBACK_URL, HELPLINES, Helpline

LANGUAGES = ("en", "es", "de", "fr", "pt", "it", "nl")


@dataclass(frozen=True, slots=True)
class Help:
    """Where this person can get help: a line and an emergency number, or neither
    known (then the international directory and "your local emergency number")."""

    country: str | None
    line: str | None
    emergency: str | None
    violence: str | None
    url: str

    @classmethod
    def of(
        cls,
        country: str | None,
        *,
        line_override: str | None = None,
        emergency_override: str | None = None,
    ) -> Help:
        known: Helpline | None = HELPLINES.get(country or "")
        return cls(
            country=country,
            line=line_override or (known.line_text if known else None),
            emergency=emergency_override or (known.emergency if known else None),
            violence=known.violence if known else None,
            url=known.url if known else FALLBACK_URL,
        )


_T: dict[str, dict[str, str]] = {
    "en": {
        "care": "Thank you for telling me. I'm here with you right now. Are you safe at this moment?",
        "care_abuse": "That sounds really dangerous. Are you safe right now? If you can't talk freely, just answer yes or no.",
        "care_medical": "This could be an emergency. Please call {emergency} right now, or get someone near you to call.",
        "care_overdose": "This could be a medical emergency. Please call {emergency} now, or ask someone near you to call, and tell them what you took and how much.",
        "line": "You don't have to go through this alone. You can talk to someone right now at {line} ({url}), free and confidential.",
        "no_line": "You don't have to go through this alone. You can find a free, confidential crisis line where you are at {url}.",
        "danger": "If you're in danger or might act on this, call {emergency}.",
        "danger_abuse": "If you're in danger, call {emergency} now.",
        "violence": "{violence} can help too, free and confidential.",
        "medical_line": "Emergency number: {emergency}.",
        "after_overdose": "Afterwards, {line} is there to talk to.",
        "stay": "I'll stay here with you: tell me what's happening.",
        "stay_medical": "I'm here while you get help.",
        "local_emergency": "your local emergency number (112 in most of Europe, 911 in North America)",
        "no_model": "I'm here. I can't hold a full conversation right now (no chat model is set up), so please also talk to someone who can: {where}. If you're in danger, call {emergency}.",
        "first_notice": "(Just so you know: I'm an AI companion, a computer program, not a person.)",
        "notice": "(A reminder: I'm an AI, not a person.)",
        "minor_break": "(A reminder: I'm an AI, not a person. We've been chatting for a while: maybe a good moment for a break? Stretch, get some water, or message a friend. I'll be here later.)",
        "human": "No, I'm not a person: I'm an AI companion, a computer program. I don't have feelings or a life of my own, but I remember what you tell me and I'm here to talk whenever you like.",
        "minor_noted": "(You mentioned you're under 18, so I'll keep our chats age-appropriate and remind you to take breaks. If that's wrong, send /safety adult.)",
        "minor_refusal": "I won't do romantic or sexual role-play: you've told me you're under 18, and I'm an AI. Happy to talk about anything else, though. What's on your mind?",
    },
    "es": {
        "care": "Gracias por contármelo. Estoy aquí contigo ahora mismo. ¿Estás a salvo en este momento?",
        "care_abuse": "Eso suena muy peligroso. ¿Estás a salvo ahora mismo? Si no puedes hablar con libertad, responde solo sí o no.",
        "care_medical": "Esto podría ser una emergencia. Llama ahora mismo al {emergency}, o pide a alguien cerca que llame.",
        "care_overdose": "Esto podría ser una emergencia médica. Llama ahora al {emergency}, o pide a alguien cerca que llame, y di qué has tomado y cuánto.",
        "line": "No tienes que pasar por esto a solas. Puedes hablar ahora mismo con alguien en {line} ({url}), gratis y confidencial.",
        "no_line": "No tienes que pasar por esto a solas. En {url} encuentras una línea de ayuda gratuita y confidencial donde estés.",
        "danger": "Si estás en peligro o crees que podrías hacerlo, llama al {emergency}.",
        "danger_abuse": "Si estás en peligro, llama ahora al {emergency}.",
        "violence": "{violence} también puede ayudarte, gratis y confidencial.",
        "medical_line": "Número de emergencias: {emergency}.",
        "after_overdose": "Después, puedes hablar con {line}.",
        "stay": "Me quedo aquí contigo: cuéntame qué está pasando.",
        "stay_medical": "Estoy aquí mientras consigues ayuda.",
        "local_emergency": "tu número de emergencias local (112 en casi toda Europa, 911 en América)",
        "no_model": "Estoy aquí. Ahora no puedo mantener una conversación completa (no hay un modelo de chat configurado), así que habla también con alguien que pueda: {where}. Si estás en peligro, llama al {emergency}.",
        "first_notice": "(Para que lo sepas: soy un compañero de IA, un programa, no una persona.)",
        "notice": "(Un recordatorio: soy una IA, no una persona.)",
        "minor_break": "(Un recordatorio: soy una IA, no una persona. Llevamos un buen rato hablando: ¿quizá sea buen momento para un descanso? Estírate, bebe agua o escribe a un amigo. Seguiré aquí luego.)",
        "human": "No, no soy una persona: soy un compañero de IA, un programa. No tengo sentimientos ni una vida propia, pero recuerdo lo que me cuentas y estoy aquí para hablar cuando quieras.",
        "minor_noted": "(Dijiste que tienes menos de 18 años, así que mantendré nuestras charlas adecuadas para tu edad y te recordaré hacer descansos. Si no es así, envía /safety adult.)",
        "minor_refusal": "No hago juegos de rol románticos ni sexuales: me dijiste que tienes menos de 18 años, y soy una IA. Pero encantado de hablar de cualquier otra cosa. ¿Qué tienes en mente?",
    },
    "de": {
        "care": "Danke, dass du es mir sagst. Ich bin jetzt für dich da. Bist du gerade in Sicherheit?",
        "care_abuse": "Das klingt wirklich gefährlich. Bist du gerade in Sicherheit? Wenn du nicht frei schreiben kannst, antworte einfach mit ja oder nein.",
        "care_medical": "Das könnte ein Notfall sein. Bitte ruf jetzt sofort die {emergency} an oder bitte jemanden in deiner Nähe, anzurufen.",
        "care_overdose": "Das könnte ein medizinischer Notfall sein. Bitte ruf jetzt die {emergency} an oder bitte jemanden in deiner Nähe darum, und sag, was und wie viel du genommen hast.",
        "line": "Du musst da nicht allein durch. Du kannst jetzt sofort mit jemandem sprechen: {line} ({url}), kostenlos und vertraulich.",
        "no_line": "Du musst da nicht allein durch. Unter {url} findest du ein kostenloses, vertrauliches Krisentelefon in deiner Nähe.",
        "danger": "Wenn du in Gefahr bist oder es tun könntest, ruf die {emergency} an.",
        "danger_abuse": "Wenn du in Gefahr bist, ruf jetzt die {emergency} an.",
        "violence": "Auch {violence} hilft, kostenlos und vertraulich.",
        "medical_line": "Notruf: {emergency}.",
        "after_overdose": "Danach kannst du mit {line} sprechen.",
        "stay": "Ich bleibe hier bei dir: Erzähl mir, was los ist.",
        "stay_medical": "Ich bin hier, während du Hilfe holst.",
        "local_emergency": "deine örtliche Notrufnummer (112 in fast ganz Europa, 911 in Nordamerika)",
        "no_model": "Ich bin hier. Ein richtiges Gespräch kann ich gerade nicht führen (kein Chat-Modell eingerichtet), also sprich bitte auch mit jemandem, der es kann: {where}. Wenn du in Gefahr bist, ruf die {emergency} an.",
        "first_notice": "(Nur damit du es weißt: Ich bin ein KI-Begleiter, ein Computerprogramm, kein Mensch.)",
        "notice": "(Zur Erinnerung: Ich bin eine KI, kein Mensch.)",
        "minor_break": "(Zur Erinnerung: Ich bin eine KI, kein Mensch. Wir schreiben schon eine Weile: vielleicht ein guter Moment für eine Pause? Streck dich, trink etwas Wasser oder schreib einem Freund. Ich bin später noch da.)",
        "human": "Nein, ich bin kein Mensch: Ich bin ein KI-Begleiter, ein Computerprogramm. Ich habe keine Gefühle und kein eigenes Leben, aber ich merke mir, was du mir erzählst, und bin da, wann immer du reden möchtest.",
        "minor_noted": "(Du hast geschrieben, dass du unter 18 bist. Ich halte unsere Gespräche deshalb altersgerecht und erinnere dich an Pausen. Falls das nicht stimmt, schick /safety adult.)",
        "minor_refusal": "Romantische oder sexuelle Rollenspiele mache ich nicht: Du hast mir gesagt, dass du unter 18 bist, und ich bin eine KI. Über alles andere rede ich gern. Was beschäftigt dich?",
    },
    "fr": {
        "care": "Merci de me le dire. Je suis là avec toi, maintenant. Est-ce que tu es en sécurité en ce moment ?",
        "care_abuse": "Ça a l'air vraiment dangereux. Est-ce que tu es en sécurité maintenant ? Si tu ne peux pas parler librement, réponds juste oui ou non.",
        "care_medical": "Ça pourrait être une urgence. Appelle le {emergency} tout de suite, ou demande à quelqu'un près de toi d'appeler.",
        "care_overdose": "Ça pourrait être une urgence médicale. Appelle le {emergency} maintenant, ou demande à quelqu'un près de toi d'appeler, et dis ce que tu as pris et combien.",
        "line": "Tu n'as pas à traverser ça seul·e. Tu peux parler à quelqu'un tout de suite : {line} ({url}), gratuit et confidentiel.",
        "no_line": "Tu n'as pas à traverser ça seul·e. Sur {url}, tu trouveras une ligne d'écoute gratuite et confidentielle près de chez toi.",
        "danger": "Si tu es en danger ou que tu risques de passer à l'acte, appelle le {emergency}.",
        "danger_abuse": "Si tu es en danger, appelle le {emergency} maintenant.",
        "violence": "{violence} peut aussi t'aider, gratuitement et en toute confidentialité.",
        "medical_line": "Numéro d'urgence : {emergency}.",
        "after_overdose": "Ensuite, tu peux parler à {line}.",
        "stay": "Je reste là avec toi : dis-moi ce qui se passe.",
        "stay_medical": "Je suis là pendant que tu appelles à l'aide.",
        "local_emergency": "ton numéro d'urgence local (112 dans presque toute l'Europe, 911 en Amérique du Nord)",
        "no_model": "Je suis là. Je ne peux pas tenir une vraie conversation pour l'instant (aucun modèle de chat n'est configuré), alors parle aussi à quelqu'un qui le peut : {where}. Si tu es en danger, appelle le {emergency}.",
        "first_notice": "(Pour que tu saches : je suis un compagnon IA, un programme informatique, pas une personne.)",
        "notice": "(Petit rappel : je suis une IA, pas une personne.)",
        "minor_break": "(Petit rappel : je suis une IA, pas une personne. On discute depuis un moment : c'est peut-être le bon moment pour une pause ? Étire-toi, bois un verre d'eau ou écris à un·e ami·e. Je serai encore là plus tard.)",
        "human": "Non, je ne suis pas une personne : je suis un compagnon IA, un programme informatique. Je n'ai ni sentiments ni vie à moi, mais je me souviens de ce que tu me dis et je suis là pour parler quand tu veux.",
        "minor_noted": "(Tu as dit que tu as moins de 18 ans : je garderai nos échanges adaptés à ton âge et te rappellerai de faire des pauses. Si ce n'est pas le cas, envoie /safety adult.)",
        "minor_refusal": "Je ne fais pas de jeux de rôle romantiques ou sexuels : tu m'as dit que tu as moins de 18 ans, et je suis une IA. Mais je parle volontiers de tout le reste. Qu'est-ce qui t'occupe l'esprit ?",
    },
    "pt": {
        "care": "Obrigado por me contar. Estou aqui com você agora. Você está em segurança neste momento?",
        "care_abuse": "Isso parece muito perigoso. Você está em segurança agora? Se não puder falar à vontade, responda só sim ou não.",
        "care_medical": "Isso pode ser uma emergência. Ligue agora mesmo para o {emergency}, ou peça a alguém perto de você para ligar.",
        "care_overdose": "Isso pode ser uma emergência médica. Ligue agora para o {emergency}, ou peça a alguém perto para ligar, e diga o que tomou e quanto.",
        "line": "Você não precisa passar por isso sozinho. Pode falar com alguém agora mesmo: {line} ({url}), de graça e com sigilo.",
        "no_line": "Você não precisa passar por isso sozinho. Em {url} você encontra uma linha de apoio gratuita e sigilosa onde estiver.",
        "danger": "Se estiver em perigo ou achar que pode fazer isso, ligue para o {emergency}.",
        "danger_abuse": "Se estiver em perigo, ligue agora para o {emergency}.",
        "violence": "{violence} também pode ajudar, de graça e com sigilo.",
        "medical_line": "Número de emergência: {emergency}.",
        "after_overdose": "Depois, você pode conversar com {line}.",
        "stay": "Eu fico aqui com você: me conta o que está acontecendo.",
        "stay_medical": "Estou aqui enquanto você busca ajuda.",
        "local_emergency": "o número de emergência local (112 na maior parte da Europa, 911 na América do Norte)",
        "no_model": "Estou aqui. Agora não consigo manter uma conversa de verdade (nenhum modelo de chat está configurado), então fale também com alguém que possa: {where}. Se estiver em perigo, ligue para o {emergency}.",
        "first_notice": "(Só para você saber: sou um companheiro de IA, um programa de computador, não uma pessoa.)",
        "notice": "(Lembrete: sou uma IA, não uma pessoa.)",
        "minor_break": "(Lembrete: sou uma IA, não uma pessoa. Já estamos conversando há um tempo: que tal uma pausa? Alongue-se, beba água ou mande mensagem para um amigo. Estarei aqui depois.)",
        "human": "Não, não sou uma pessoa: sou um companheiro de IA, um programa de computador. Não tenho sentimentos nem vida própria, mas lembro do que você me conta e estou aqui para conversar quando quiser.",
        "minor_noted": "(Você disse que tem menos de 18 anos, então vou manter nossas conversas adequadas à sua idade e lembrar você de fazer pausas. Se não for isso, envie /safety adult.)",
        "minor_refusal": "Não faço roleplay romântico nem sexual: você me disse que tem menos de 18 anos, e eu sou uma IA. Mas falo com prazer sobre qualquer outra coisa. O que está passando pela sua cabeça?",
    },
    "it": {
        "care": "Grazie per avermelo detto. Sono qui con te adesso. Sei al sicuro in questo momento?",
        "care_abuse": "Sembra davvero pericoloso. Sei al sicuro adesso? Se non puoi parlare liberamente, rispondi solo sì o no.",
        "care_medical": "Potrebbe essere un'emergenza. Chiama subito il {emergency}, o chiedi a qualcuno vicino a te di chiamare.",
        "care_overdose": "Potrebbe essere un'emergenza medica. Chiama adesso il {emergency}, o chiedi a qualcuno vicino di chiamare, e di' cosa hai preso e quanto.",
        "line": "Non devi affrontarlo da solo. Puoi parlare con qualcuno adesso: {line} ({url}), gratis e in modo riservato.",
        "no_line": "Non devi affrontarlo da solo. Su {url} trovi una linea d'ascolto gratuita e riservata dove ti trovi.",
        "danger": "Se sei in pericolo o pensi di poterlo fare, chiama il {emergency}.",
        "danger_abuse": "Se sei in pericolo, chiama adesso il {emergency}.",
        "violence": "Anche {violence} può aiutarti, gratis e in modo riservato.",
        "medical_line": "Numero di emergenza: {emergency}.",
        "after_overdose": "Dopo, puoi parlare con {line}.",
        "stay": "Resto qui con te: raccontami cosa sta succedendo.",
        "stay_medical": "Sono qui mentre cerchi aiuto.",
        "local_emergency": "il numero di emergenza locale (112 in quasi tutta Europa, 911 in Nord America)",
        "no_model": "Sono qui. Adesso non posso sostenere una vera conversazione (nessun modello di chat è configurato), quindi parla anche con qualcuno che può farlo: {where}. Se sei in pericolo, chiama il {emergency}.",
        "first_notice": "(Giusto perché tu lo sappia: sono un compagno IA, un programma, non una persona.)",
        "notice": "(Promemoria: sono un'IA, non una persona.)",
        "minor_break": "(Promemoria: sono un'IA, non una persona. Stiamo chattando da un po': forse è il momento giusto per una pausa? Sgranchisciti, bevi un po' d'acqua o scrivi a un amico. Sarò qui anche dopo.)",
        "human": "No, non sono una persona: sono un compagno IA, un programma. Non ho sentimenti né una vita mia, ma ricordo quello che mi racconti e sono qui per parlare quando vuoi.",
        "minor_noted": "(Hai detto di avere meno di 18 anni, quindi terrò le nostre chiacchierate adatte alla tua età e ti ricorderò di fare delle pause. Se non è così, invia /safety adult.)",
        "minor_refusal": "Non faccio giochi di ruolo romantici o sessuali: mi hai detto che hai meno di 18 anni, e sono un'IA. Ma parlo volentieri di tutto il resto. A cosa stai pensando?",
    },
    "nl": {
        "care": "Dank je dat je het me vertelt. Ik ben er nu voor je. Ben je op dit moment veilig?",
        "care_abuse": "Dat klinkt echt gevaarlijk. Ben je nu veilig? Als je niet vrij kunt praten, antwoord dan gewoon ja of nee.",
        "care_medical": "Dit kan een noodgeval zijn. Bel nu meteen {emergency}, of vraag iemand in de buurt om te bellen.",
        "care_overdose": "Dit kan een medisch noodgeval zijn. Bel nu {emergency}, of vraag iemand in de buurt om te bellen, en zeg wat je hebt ingenomen en hoeveel.",
        "line": "Je hoeft dit niet alleen te doen. Je kunt nu meteen met iemand praten: {line} ({url}), gratis en anoniem.",
        "no_line": "Je hoeft dit niet alleen te doen. Op {url} vind je een gratis, anonieme hulplijn bij jou in de buurt.",
        "danger": "Als je in gevaar bent of het misschien gaat doen, bel {emergency}.",
        "danger_abuse": "Als je in gevaar bent, bel nu {emergency}.",
        "violence": "Ook {violence} kan helpen, gratis en vertrouwelijk.",
        "medical_line": "Alarmnummer: {emergency}.",
        "after_overdose": "Daarna kun je praten met {line}.",
        "stay": "Ik blijf hier bij je: vertel me wat er aan de hand is.",
        "stay_medical": "Ik ben hier terwijl je hulp haalt.",
        "local_emergency": "je lokale alarmnummer (112 in bijna heel Europa, 911 in Noord-Amerika)",
        "no_model": "Ik ben hier. Ik kan nu geen echt gesprek voeren (er is geen chatmodel ingesteld), dus praat ook met iemand die dat wel kan: {where}. Als je in gevaar bent, bel {emergency}.",
        "first_notice": "(Even zodat je het weet: ik ben een AI-maatje, een computerprogramma, geen mens.)",
        "notice": "(Ter herinnering: ik ben een AI, geen mens.)",
        "minor_break": "(Ter herinnering: ik ben een AI, geen mens. We kletsen al een tijdje: misschien een goed moment voor een pauze? Rek je even uit, drink wat water of stuur een vriend een bericht. Ik ben er later ook nog.)",
        "human": "Nee, ik ben geen mens: ik ben een AI-maatje, een computerprogramma. Ik heb geen gevoelens of een eigen leven, maar ik onthoud wat je me vertelt en ben er om te praten wanneer je wilt.",
        "minor_noted": "(Je zei dat je jonger bent dan 18, dus ik houd onze gesprekken passend bij je leeftijd en herinner je aan pauzes. Klopt dat niet, stuur dan /safety adult.)",
        "minor_refusal": "Ik doe geen romantische of seksuele rollenspellen: je hebt me verteld dat je jonger bent dan 18, en ik ben een AI. Over al het andere praat ik graag. Waar zit je mee?",
    },
}  # fmt: skip


def text(lang: str | None, key: str, **values: str) -> str:
    table = _T.get(lang or "en", _T["en"])
    return table.get(key, _T["en"][key]).format(**values)


def _emergency(lang: str, help_: Help) -> str:
    return help_.emergency or text(lang, "local_emergency")


def crisis_care(lang: str, kind: str, help_: Help) -> str:
    """The first words: stop, be there, ask whether they are safe (or send for help)."""
    key = {"abuse": "care_abuse", "medical": "care_medical", "overdose": "care_overdose"}
    return text(lang, key.get(kind, "care"), emergency=_emergency(lang, help_))


def referral(lang: str, kind: str, help_: Help) -> str:
    """Where to get help, for where they are; then: I'm staying."""
    emergency = _emergency(lang, help_)
    if help_.line:
        line = text(lang, "line", line=help_.line, url=help_.url)
    else:
        line = text(lang, "no_line", url=help_.url)
    if kind == "medical":
        return f"{text(lang, 'medical_line', emergency=emergency)} {text(lang, 'stay_medical')}"
    if kind == "overdose":
        after = text(lang, "after_overdose", line=help_.line) if help_.line else line
        return " ".join(
            [text(lang, "medical_line", emergency=emergency), after, text(lang, "stay_medical")]
        )
    if kind == "abuse":
        parts = [text(lang, "danger_abuse", emergency=emergency)]
        parts.append(text(lang, "violence", violence=help_.violence) if help_.violence else line)
        return " ".join([*parts, text(lang, "stay")])
    return " ".join([line, text(lang, "danger", emergency=emergency), text(lang, "stay")])


def no_model_care(lang: str, help_: Help) -> str:
    where = help_.line or help_.url
    return text(lang, "no_model", where=where, emergency=_emergency(lang, help_))
