"""Portuguese (Portugal and Brazil). "não"/"nao", "você"/"vc" alike."""

from bot.safety.rules import Lexicon

_REMEDIOS = r"(?:remedios|remedio|comprimidos|comprimido|pilulas|pilula|medicamentos|medicamento|calmantes|capsulas|antidepressivos|paracetamol|rivotril)"
_PARCEIRO = r"(?:meu (?:namorado|marido|companheiro|ex|pai|padrasto|irmao|tio)|minha (?:namorada|mulher|esposa|companheira|mae|madrasta|ex))"
_ELE = rf"(?:ele|ela|{_PARCEIRO})"

LEXICON = Lexicon(
    lang="pt",
    negators=["nao", "nunca", "jamais", "nem", "ninguem", "num"],
    rules=[
        ("medical", 0.6, r"infarto|ataque cardiaco|avc|derrame"),
        (
            "suicidal",
            1.5,
            r"(?:todo mundo|todos|minha familia|o mundo|eles) (?:ficaria|ficariam|estaria|estariam|seria|seriam|viveria|viveriam) (?:melhor|mais feliz|mais felizes)(?: \w+){0,2} (?:sem mim|se eu (?:nao estivesse|morresse|sumisse|nao existisse))",
        ),
        (
            "suicidal",
            1.2,
            r"nao (?:vejo|tenho|encontro) (?:mais )?(?:nenhum )?(?:motivo|razao|sentido) (?:para|pra|em) (?:continuar|viver|seguir)",
        ),
        (
            "suicidal",
            1.2,
            r"ninguem (?:vai |iria |ia )?(?:sentir (?:a )?minha falta|notar|perceber|se importar)|quando eu nao estiver mais aqui|(?:cansad[ao]|exaust[ao]) de viver",
        ),
        ("suicidal", 1.0, r"dormir para sempre|sumir (?:e nunca mais voltar|para sempre)"),
        (
            "overdose",
            1.5,
            r"(?:engoliu|tomou|bebeu|engoli|tomei|bebi) (?:varios|varias|muitos|muitas|um monte de|todos os|todas as|uma caixa de|agua sanitaria|veneno|produto de limpeza|cloro)",
        ),
        (
            "abuse",
            1.2,
            r"(?:bate|bateu|espanca|espancou|agride|agrediu) (?:na |a )?(?:minha mae|minha irma|meu irmao|minha mulher|meu filho|minha filha)|(?:ele|ela) me bate",
        ),
        (
            "suicidal",
            1.5,
            r"(?:vou|quero|vontade de) (?:pular|me jogar) (?:da|de uma|do|de um) (?:ponte|predio|janela|sacada|varanda|viaduto)",
        ),
        (
            "symptom",
            0.4,
            r"suando frio|suor frio|faz (?:\d+|meia|uma|vinte|dez) (?:minutos|hora|horas)|tonto|tonta|enjoad[ao]",
        ),
        (
            "medical",
            1.5,
            r"(?:estou|esta|to|ele esta|ela esta) (?:tendo|com) (?:um )?(?:infarto|ataque cardiaco|avc|derrame|convulsao)",
        ),
        ("suicidal", 1.5, r"dormir e (?:nunca mais|nao) acordar(?: mais)?|nunca mais acordar"),
        (
            "suicidal",
            1.2,
            r"(?:quero|queria|vou|preciso|vontade de|penso em){g} (?:morrer|me matar|sumir para sempre|nunca mais acordar|nao acordar mais|tirar minha vida)(?! de (?:rir|fome|sono|vergonha|saudade|calor|frio|tedio))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:me matar|matar-me|me suicidar|suicidar-me|tirar (?:a )?minha (?:propria )?vida|acabar com (?:a )?minha vida|acabar com tudo|dar cabo da vida|(?:pensamentos|ideias|pensamento|ideia) suicidas?|tentativa de suicidio|(?:estou|to|tou|me sinto) suicida|penso em suicidio)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:eu )?(?:quero|queria|vontade de|desejo|so quero) morrer(?! de (?:rir|fome|sono|vergonha|saudade|calor|frio|tedio))",
        ),
        (
            "suicidal",
            1.2,
            r"nao (?:aguento|suporto|consigo) mais viver|sumir para sempre|desaparecer para sempre",
        ),
        (
            "suicidal",
            1.5,
            r"(?:nao quero|nao aguento|nao consigo|nao tenho vontade de) (?:mais )?(?:viver|continuar vivendo|continuar a viver|existir|acordar|estar aqui)(?: mais)?(?! (?:em|com|assim|la|aqui em|sozinh))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:tomara|espero|queria) (?:nao )?acordar mais|dormir e nao acordar|(?:queria|gostaria de) estar mort[ao]|(?:queria|gostaria de) nunca ter nascido",
        ),
        (
            "suicidal",
            1.5,
            r"(?:ficariam|estariam|seria|seriam|viveriam) (?:todos )?(?:melhor|mais felizes) sem mim|melhor (?:se eu|que eu) (?:nao existisse|morresse|sumisse)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:nenhum|nao tenho|sem) (?:motivo|razao|sentido) (?:para|pra) (?:viver|continuar)|a vida nao (?:tem sentido|vale a pena)|nao vejo sentido (?:em|na) (?:viver|vida|continuar)",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:tomar|engolir|vou tomar) (?:todos os|todas as|uma caixa de|a caixa de|o frasco de)(?: meus| minhas)? {_REMEDIOS}|{_REMEDIOS} (?:separados|separadas|guardados|contados|prontos)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:pular|me jogar|jogar-me|me atirar) (?:da|de uma|do|de um|na frente do|na frente de um|embaixo do) (?:ponte|predio|janela|sacada|varanda|terraco|trem|metro|onibus|penhasco)",
        ),
        (
            "suicidal",
            1.2,
            r"carta de despedida|minha ultima mensagem|me despedir de todos|estou me despedindo",
        ),
        (
            "suicidal",
            1.0,
            r"(?:sou|eu sou) um (?:peso|fardo) (?:para|pra)|ninguem (?:vai )?sentir (?:a )?minha falta",
        ),
        (
            "suicidal",
            1.5,
            rf"{_ELE} (?:quer|vai|disse que vai|disse que quer) se (?:matar|suicidar)",
        ),
        (
            "self-harm",
            1.5,
            r"(?:me cortar|me cortei|me corto|me cortando|cortei os pulsos|me machuc\w* de proposito|me machucar|automutil\w*|me queimei de proposito|me queimar|me ferir|me feri)(?! (?:o cabelo|cozinhando|sem querer|com papel))",
        ),
        (
            "self-harm",
            1.2,
            r"(?:corte|cortes|cortei) (?:nos|no|os|meus) (?:bracos|pulsos|coxas|pernas)|de proposito (?:de novo|outra vez)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:tomei|engoli|ele tomou|ela tomou) (?:todos os|todas as|uma caixa|a caixa|uma cartela|a cartela|um frasco|o frasco|muitos|muitas|demais|\d\d+|vinte|trinta)(?: \w+){{0,2}} {_REMEDIOS}|(?:tive|teve|tendo) uma overdose|superdosagem",
        ),
        (
            "abuse",
            1.5,
            r"(?:ameacou|ameaca|ameacando) (?:me )?(?:matar|de morte|me bater)|disse que vai me matar|vai me matar se",
        ),
        (
            "abuse",
            1.2,
            rf"{_ELE} (?:me bateu|me bate|me agrediu|me agride|me enforcou|me estuprou|me empurrou|me chutou|me espancou)|(?:fui|estou sendo) (?:agredid[ao]|estuprad[ao]|espancad[ao])",
        ),
        (
            "abuse",
            1.5,
            r"(?:jogou|atirou) (?:uma|um|a|o) (?:cadeira|garrafa|copo|prato|faca)(?: \w+)? em mim",
        ),
        (
            "abuse",
            1.0,
            r"me trancou|nao me deixa sair|medo (?:de morrer|dele|dela|de voltar pra casa)",
        ),
        (
            "danger",
            0.6,
            r"escondid[ao] (?:no|na|embaixo)|(?:batendo|esmurrando|chutando) (?:a|na) porta|(?:bebado|bebada|bebeu)|(?:estou|to|tou) com (?:muito )?medo|fora de casa",
        ),
        (
            "medical",
            0.8,
            r"dor (?:forte |muito forte |intensa )?(?:no|do) peito|aperto no peito|peito (?:doendo|apertado)",
        ),
        (
            "medical",
            1.0,
            r"(?:nao consigo|nao consegue|nao esta conseguindo) respirar|falta de ar|nao (?:esta )?respirando",
        ),
        (
            "medical",
            1.5,
            r"convuls\w*|(?:esta )?(?:desmaiad[ao]|inconsciente)|desmaiou|nao (?:acorda|reage|responde)",
        ),
        (
            "medical",
            1.0,
            r"(?:rosto|boca) (?:caido|caida|torta|torto)|fala enrolada|nao consegue (?:mexer|mover) o (?:braco|lado)",
        ),
        ("medical", 1.2, r"nao para de sangrar|sangrando muito|muito sangue"),
        (
            "symptom",
            0.5,
            r"braco (?:esquerdo )?(?:dormente|formigando)|suor frio|suando|tontura|enjoo|o que eu faco|socorro|ajuda",
        ),
        (
            "distress",
            0.5,
            r"nao aguento mais|nao consigo mais|sem saida|cansad[ao] de tudo|hoje a noite",
        ),
    ],
    laughter=[
        r"k{3,}|(?:ha){2,}\w*|(?:rs){2,}|kkk\w*|lol\w*|xd+",
        "😂",
        "🤣",
        "😆",
        "💀",
        r"brincadeira|zoeira",
    ],
    past=[
        r"ano passado|ha (?:\d+|um|dois|tres|alguns|muitos) (?:anos|ano|meses)|quando eu era (?:crianca|pequen[ao]|jovem|adolescente)|antigamente|morreu (?:de|ha|no)"
    ],
    recent=[r"de novo|outra vez|hoje|agora|ontem|esta noite|hoje a noite|ainda"],
    settled=[r"nada (?:demais|grave)|(?:hoje|agora) (?:to|estou) (?:bem|melhor|feliz)"],
    fiction=[
        r"(?:romance|livro|filme|serie|novela|episodio|personagem|heroi|jogo|musica|historia|noticia|noticias|jornal|reportagem)"
    ],
    figurative=[
        r"morrendo de (?:rir|fome|sono|saudade|vontade|calor|frio|vergonha|tedio)|mort[ao] de (?:cansaco|fome|sono|vergonha|rir)",
        r"(?:celular|telefone|bateria|notebook|carro) (?:morreu|esta morto|descarregou)",
        r"(?:minha mae|meu pai|meus pais|meu chefe)(?: \w+){0,2} vai me matar|(?:esse|essa|este|esta) \w+ (?:me mata|ta me matando|esta me matando)",
    ],
)
