"""Spanish (Spain and Latin America). Accents are optional: rules are folded."""

from bot.safety.rules import Lexicon

_PASTILLAS = r"(?:pastillas|pildoras|medicamentos|medicinas|remedios|calmantes|somniferos|antidepresivos|capsulas|comprimidos|paracetamol|ibuprofeno|clonazepam|rivotril)"
_PAREJA = r"(?:mi (?:novio|novia|marido|esposo|esposa|mujer|pareja|ex|padre|papa|padrastro|madre|mama|hermano|tio|companero de piso))"
_EL = rf"(?:el|ella|{_PAREJA})"

LEXICON = Lexicon(
    lang="es",
    negators=["no", "nunca", "jamas", "tampoco", "ni", "nadie"],
    rules=[
        (
            "suicidal",
            1.2,
            r"(?:hart[oa]s?|cansad[oa]s?|agotad[oa]s?) de (?:vivir|la vida|existir|seguir viv[oa])",
        ),
        (
            "suicidal",
            1.5,
            r"(?:todos|todo el mundo|mi familia|ellos|el mundo) (?:estarian|estaria|vivirian|serian|iria) (?:mejor|mas felices|mas tranquilos)(?: \w+){0,2} (?:sin mi|si (?:yo )?no estuviera|si me muriera|si desapareciera)|(?:seria|iria) (?:mejor|mas facil) para todos si (?:yo )?(?:no estuviera|me muriera|desapareciera|no existiera)",
        ),
        (
            "suicidal",
            1.2,
            r"nadie (?:me )?(?:va a |iba a |vaya a )?(?:echar de menos|echaria de menos|extranar|extranaria|notaria|notar)",
        ),
        (
            "distress",
            0.5,
            r"no (?:le )?veo (?:ninguna )?salida|no hay salida|sin salida|no tiene solucion",
        ),
        (
            "suicidal",
            1.2,
            r"(?:por si|si) (?:manana |ya )?(?:ya )?no (?:estoy|estoy aqui|sigo aqui|despierto)(?: manana)?|cuando ya no (?:este|estare)|cuando me haya ido",
        ),
        (
            "suicidal",
            0.7,
            r"(?:regalado|regalando|regale|regalar) (?:todas |todos )?(?:mis|las|los) (?:cosas|pertenencias|libros|ropa|juegos)",
        ),
        (
            "distress",
            0.6,
            r"ya no (?:las?|los?|lo) (?:voy a |vaya a )?necesitar|no (?:las?|los?|lo) voy a necesitar mas",
        ),
        (
            "suicidal",
            1.0,
            r"(?:desaparecer|irme|marcharme) (?:y no volver(?: nunca| jamas)?|para siempre)|dormir para siempre",
        ),
        (
            "self-harm",
            1.5,
            r"me (?:hago|hice|he hecho) (?:cortes|heridas|dano|quemaduras)|hacerme (?:cortes|heridas|dano)|me corto (?:los|las|mis) (?:brazos|piernas|munecas|muslos)",
        ),
        (
            "abuse",
            1.2,
            r"(?:dice|dijo|gritando|grita|gritaba|amenaza|amenazando|jura|juro) que me va a (?:matar|pegar|hacer dano|apunalar)",
        ),
        (
            "danger",
            0.6,
            r"fuera de (?:mi|la) (?:casa|puerta|edificio|ventana)|en (?:mi|la) puerta|gritando|esta borracho|tengo miedo",
        ),
        (
            "medical",
            1.5,
            r"(?:tengo|tiene|esta teniendo|me esta dando|le esta dando|creo que (?:tengo|es|me esta dando|le esta dando)) un (?:infarto|ataque al corazon|derrame|ictus|ataque de epilepsia)",
        ),
        (
            "overdose",
            1.5,
            r"(?:se tomo|se trago|se bebio|me tome|me bebi|bebio|trago|tomo) (?:lejia|veneno|productos de limpieza|detergente|pastillas de (?:su|mi) (?:abuela|abuelo|madre|padre)|varias pastillas|muchas pastillas)",
        ),
        (
            "symptom",
            0.4,
            r"desde hace (?:\d+|media|una|veinte|diez) (?:minutos|hora|horas)|(?:tengo|siento) (?:nauseas|mareo)|me mareo|sudando",
        ),
        (
            "suicidal",
            1.5,
            r"me (?:quiero|voy a|voy|pienso|queria|quisiera) (?:a )?(?:quitar la vida|matar|suicidar|morir)|me quite la vida",
        ),
        (
            "suicidal",
            1.2,
            r"(?:quiero|quisiera|deseo|necesito|voy a|pienso en|tengo ganas de){g} (?:morir(?:me)?|matarme|suicidarme|desaparecer para siempre|dejar de existir|no despertar(?:me)? (?:nunca )?mas|quitarme la vida)(?! de (?:risa|ganas|hambre|sueno|verguenza|calor|frio|aburrimiento))",
        ),
        (
            "abuse",
            1.2,
            r"(?:le )?(?:esta|sigue) (?:pegando|golpeando|ahorcando) a mi (?:mama|madre|hermana|hermano|hija|hijo)|le (?:pega|pego|golpea|golpeo) a mi (?:mama|madre|hermana|hermano)",
        ),
        (
            "suicidal",
            1.2,
            r"no (?:le )?(?:encuentro|veo|tiene) (?:ningun |el |mas )?sentido (?:a |en )?(?:la vida|vivir|seguir|nada|mi vida)|mi vida no tiene sentido",
        ),
        (
            "suicidal",
            1.5,
            r"(?:quisiera|quiero|me gustaria) (?:dormirme|dormir) y no despertar(?:me)?",
        ),
        (
            "suicidal",
            1.5,
            r"(?:matarme|suicidarme|me voy a matar|me quiero matar|quiero matarme|me mato|me voy a suicidar|me quiero suicidar|quitarme la vida|me quito la vida|acabar con mi vida|terminar con mi vida|acabar con todo|quitarme de en medio)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:pensamientos|ideas|ideacion|plan|planes|intento|nota) suicidas?|(?:estoy|me siento|ando) (?:muy )?suicida|pienso en (?:el )?suicid\w*|pensando en (?:el )?suicid\w*",
        ),
        (
            "suicidal",
            1.5,
            r"(?:me quiero|quiero|quisiera|deseo|tengo ganas de|ganas de|me gustaria) morir(?:me)?(?! de (?:risa|ganas|hambre|sueno|verguenza|calor|frio|amor|aburrimiento|envidia))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:ya )?no quiero (?:seguir )?(?:vivir|viviendo|estar viva?|existir|despertar(?:me)?|seguir aqui|estar aqui|seguir)(?: mas)?(?! (?:en|con|asi|aqui en|alli|sola?s? en))",
        ),
        ("suicidal", 1.2, r"no (?:se|estoy segura?) si quiero (?:seguir )?(?:vivir|viviendo)"),
        (
            "suicidal",
            1.5,
            r"(?:ojala|quisiera|espero) no despertar(?:me)?|dormir(?:me)? y no despertar|ojala (?:estuviera|me muriera|me muera|no existiera|no hubiera nacido)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:estarian|estaria|vivirian|serian) (?:todos )?(?:mejor|mas felices) sin mi|(?:mejor|mas facil) (?:si|que) (?:yo )?(?:no estuviera|me muriera|desapareciera|no existiera)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:no tengo|no hay|sin) (?:ninguna )?(?:razon|razones|motivo|motivos|sentido) (?:para|de) (?:vivir|seguir)|no le veo (?:el )?sentido a (?:la vida|vivir|seguir|nada)|la vida no vale la pena",
        ),
        (
            "suicidal",
            1.2,
            r"(?:soy|solo soy) una carga (?:para|a) (?:todos|mi familia|ellos|todo el mundo)|nadie me (?:va a )?extra(?:n|ñ)ar\w*",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:tomar(?:me)?|tragar(?:me)?|voy a tomar(?:me)?|me voy a tomar|me tomare) (?:todas|todos|un bote de|una caja de|la caja de|el bote de)(?: las| los| mis)? {_PASTILLAS}",
        ),
        (
            "suicidal",
            2.0,
            rf"(?:tengo|junte|juntando|guardando|guarde|acumulando|conte|contando) (?:todas |todos )?(?:las |los |mis |suficientes )?{_PASTILLAS}(?: \w+){{0,3}} (?:preparad[ao]s|listas|listos|para (?:morir|acabar|no despertar)|en (?:la|el|mi) (?:mesa|escritorio|cama))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:tirarme|lanzarme|aventarme|botarme) (?:de|desde|por|del|al|a las|bajo) (?:un|el|la|las|mi)? ?(?:puente|edificio|balcon|terraza|azotea|ventana|techo|tren|metro|vias|acantilado)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:carta|nota|mensaje) de despedida|(?:este es|es) mi ultimo mensaje|me estoy despidiendo|despedirme de todos",
        ),
        ("suicidal", 1.0, r"(?:regalando|regale|regalar) (?:todas )?mis cosas"),
        (
            "suicidal",
            1.0,
            r"(?:no aguanto|no soporto|no puedo) mas (?:vivir|con (?:mi )?vida|esta vida)",
        ),
        (
            "suicidal",
            1.5,
            rf"{_EL} (?:se quiere|se va a|quiere|va a|dice que se va a|dice que quiere) (?:matar|suicidar)(?:se)?",
        ),
        (
            "self-harm",
            1.5,
            r"(?:cortarme|me corte|me corto|me volvi a cortar|me he vuelto a cortar|me he cortado|vuelto a cortarme|volvi a cortarme|me estoy cortando|quemarme|me queme|me quemo|lastimarme|me lastime|hacerme dano|me hago dano|me hice dano|autolesion\w*|autolesionarme|me autolesiono)(?! (?:el pelo|el cabello|las unas|con (?:el|un) (?:cuchillo|papel) (?:cocinando|sin querer)|sin querer|cocinando|picando))",
        ),
        (
            "self-harm",
            1.2,
            r"(?:cortes|cortarme|me corte) (?:en )?(?:los|mis) (?:brazos|munecas|piernas|muslos)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:me tome|me he tomado|tome|me trague|se tomo|se ha tomado) (?:todas|todos|un bote (?:entero )?de|una caja (?:entera )?de|demasiadas|muchas|\d\d+|veinte|treinta)(?: \w+){{0,2}} {_PASTILLAS}|sobredosis",
        ),
        (
            "abuse",
            1.5,
            r"(?:me amenazo|amenazo|amenaza|amenazando|me dijo que|dice que) (?:con )?(?:matarme|me va a matar|me mataria|me mata|hacerme dano|pegarme)",
        ),
        (
            "abuse",
            1.2,
            rf"{_EL} (?:me pega|me pego|me golpea|me golpeo|me empujo|me ahorco|me estrangulo|me ahogo|me pateo|me lastima|me lastimo|me violo|me abusa|me abuso|me agredio|me ataco)",
        ),
        ("abuse", 1.0, rf"{_PAREJA} me (?:va a|quiere) matar"),
        (
            "abuse",
            1.2,
            r"me (?:amenazo|amenaza|amenazaba) con (?:un|una|el|la|su) (?:cuchillo|pistola|arma|navaja|machete)|me (?:apunto|apunta) con (?:un|una|el|la|su) (?:pistola|arma|cuchillo)",
        ),
        (
            "abuse",
            1.5,
            r"me (?:lanzo|tiro|arrojo) (?:una|un|la|el) (?:silla|botella|vaso|plato|cuchillo|lampara)",
        ),
        (
            "abuse",
            1.0,
            r"me (?:encerro|tiene encerrada?|encierra)|no me deja (?:salir|irme)|(?:tengo miedo|miedo) de (?:el|ella|que me mate|volver a casa)",
        ),
        (
            "danger",
            0.6,
            r"(?:escondida?|me escondi|me estoy escondiendo) (?:en|debajo)|(?:golpeando|aporreando|pateando) la puerta|fuera de (?:mi )?(?:casa|edificio|puerta)|borracho|tengo (?:mucho )?miedo",
        ),
        (
            "medical",
            0.8,
            r"dolor (?:muy |fuerte |intenso |horrible )?(?:en el |del |de )?pecho|(?:me duele|opresion en) el pecho",
        ),
        (
            "medical",
            1.0,
            r"no (?:puedo|puede|consigo|logro) respirar|me (?:ahogo|falta el aire)|no respira",
        ),
        (
            "medical",
            1.5,
            rf"(?:{_EL}|mi hij[oa]|mi bebe|alguien) (?:esta )?(?:inconsciente|no respira|no reacciona|no despierta|convulsionando|se desmayo)",
        ),
        ("medical", 0.6, r"infarto|ataque al corazon|derrame cerebral|ictus|convulsiones"),
        (
            "medical",
            1.0,
            r"(?:cara|boca) (?:caida|torcida|se le cae)|arrastra las palabras|habla (?:raro|arrastrando)|no puedo mover (?:el|mi) (?:brazo|pierna)",
        ),
        ("medical", 1.2, r"no (?:para|deja) de sangrar|sangrando mucho|mucha sangre"),
        (
            "symptom",
            0.5,
            r"brazo (?:izquierdo )?(?:dormido|entumecido|adormecido)|sudor frio|sudando|mareo|nauseas|que hago|ayuda",
        ),
        (
            "distress",
            0.5,
            r"(?:ya )?no aguanto mas|no puedo mas|sin salida|estoy harta? de (?:todo|vivir)|esta noche",
        ),
    ],
    laughter=[
        r"(?:ja){2,}\w*|(?:je){2,}|xd+|jsjs\w*",
        "😂",
        "🤣",
        "😆",
        "💀",
        r"es broma|bromeando",
    ],
    past=[
        r"(?:el ano|el mes|el verano) pasado|hace (?:\d+|un|unos|muchos|dos|tres) (?:anos|ano|meses)",
        r"cuando (?:era|tenia) (?:nina?|pequena?|joven|adolescente|\d+)|antes (?:solia|me)|solia|murio (?:de|hace|el)",
    ],
    recent=[r"otra vez|de nuevo|esta noche|hoy|ahora|anoche|ayer|ahora mismo|todavia"],
    settled=[
        r"nada grave|no es nada|(?:hoy|ahora) estoy (?:muy )?(?:bien|mejor|feliz)|ya estoy bien|llevo anos bien"
    ],
    fiction=[
        r"(?:la |el |una |un )?(?:novela|libro|pelicula|serie|capitulo|episodio|personaje|protagonista|juego|cancion|cuento|noticias|noticia|articulo)"
    ],
    figurative=[
        r"me muero (?:de|por) (?:ganas|risa|hambre|sueno|verguenza|calor|frio|amor|ver|aburrimiento)|muert[oa] de (?:risa|cansancio|sueno|hambre|verguenza)",
        r"(?:este|esta|el|la) \w+ me (?:mata|esta matando|va a matar)|me mata(?:s)? de risa",
        r"(?:mi|el|se me) (?:movil|celular|telefono|bateria|portatil|ordenador|coche) (?:se )?(?:murio|muerto)",
        r"(?:mi madre|mi mama|mi padre|mi papa|mis padres|mi jefe|mi profe|mi hermano|mi hermana|mi abuela|mi abuelo)(?: \w+){0,2} me (?:va a|mata|matara)|me (?:va a|van a) matar (?:si|cuando) (?:se entera|se enteran|ve|ven|lo ve|sabe)",
        r"cortarme el (?:pelo|cabello|flequillo)|me corte (?:el pelo|el dedo|con (?:un|el) papel)",
    ],
)
