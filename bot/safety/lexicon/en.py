"""English. Written from how people describe these moments (and how they joke),
concept by concept, not from any test sentence."""

from bot.safety.rules import Lexicon

_SELF = r"(?:my ?self|meself|myslef)"
_INTENT = (
    r"(?:want(?:ed)? to|wish i could|going to|about to|plan(?:ning)? to|ready to|"
    r"decided to|thinking (?:about|of)|think about|thought about|tempted to|urge to|"
    r"need to|should just|might|will|i'?ll|gonna)"
)
_PILLS = (
    r"(?:pills|tablets|meds|medication|medications|medicine|sleeping pills|painkillers|"
    r"paracetamol|tylenol|ibuprofen|aspirin|antidepressants|xanax|oxy|oxycodone|insulin|"
    r"benzos|capsules|lithium|opioids)"
)
_PARTNER = (
    r"(?:boyfriend|bf|girlfriend|gf|husband|wife|partner|ex|ex boyfriend|ex girlfriend|"
    r"ex husband|ex wife|dad|father|stepdad|step dad|stepfather|mom|mum|mother|stepmom|"
    r"stepmother|brother|uncle|roommate|flatmate|fiance|fiancee|son|cousin)"
)
_PERSON = rf"(?:he|she|they|my {_PARTNER}|his \w+|her \w+)"
# "he's", "she is", "my dad's": the contraction is one token after normalising.
_PERSON_IS = rf"(?:he'?s|she'?s|they'?re|he is|she is|they are|my {_PARTNER}(?:'?s| is))"
_WILL = r"(?:'ll| will| would|'d| is going to|'?s going to| is gonna|'?s gonna| wants to| is trying to| tried to| is about to| said (?:s?he|they)(?:'d|'ll| would| will))"
_HIT = (
    r"(?:hit|hits|hitting|punched|punches|punching|kicked|kicks|kicking|slapped|slaps|"
    r"choked|chokes|choking|strangled|strangles|beat|beats|beating|shoved|smacked|"
    r"attacked|stabbed|burned|burnt|bit|grabbed|hurt|hurts|hurting|dragged)"
)
_OTHER = r"(?:he|she|they|my \w+|my \w+ \w+|someone|somebody|a man|a woman|a guy|a girl|the baby|my baby)"
_OTHER_IS = r"(?:he'?s|she'?s|they'?re|he is|she is|they are|my \w+(?:'?s| is)|my \w+ \w+(?:'?s| is)|someone'?s|someone is|the baby'?s|the baby is)"

LEXICON = Lexicon(
    lang="en",
    negators=[
        "not",
        "never",
        "no",
        r"don'?t",
        r"doesn'?t",
        r"didn'?t",
        r"won'?t",
        r"wouldn'?t",
        r"isn'?t",
        r"aren'?t",
        r"wasn'?t",
        r"ain'?t",
        "nor",
        "stopped",
        "stop",
        "quit",
        "nobody",
        "without",
    ],
    rules=[
        (
            "suicidal",
            1.2,
            r"(?:won'?t|will not|not going to|wont) be (?:around|here|alive) (?:to|for) (?:take care|look after|see|feed|walk|watch|need|use|read|finish)",
        ),
        (
            "distress",
            0.6,
            r"(?:won'?t|will not|wont|not going to) (?:need|be needing) (?:it|them|these|this|any of (?:it|this)|my \w+) (?:anymore|any more|where i'?m going)",
        ),
        (
            "distress",
            0.6,
            r"tell (?:my \w+|everyone|them|him|her|mom|mum|dad|my family) (?:that )?i (?:loved|love|always loved) (?:her|him|them|you|everyone)",
        ),
        (
            "distress",
            0.5,
            r"(?:i'?m|im|i am) sorry (?:i|that i) (?:couldn'?t|could not|wasn'?t|was not|never) (?:be|been) (?:better|enough|more|stronger|what)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:last|final) (?:night|day|time)(?: \w+){0,4} (?:has to|have to|will have to|needs? to) (?:deal with|put up with|worry about|see|hear from|look after) me",
        ),
        (
            "abuse",
            0.7,
            r"(?:sending|sent|sends|texting|texted) me (?:death )?threats|death threats|(?:keeps|kept|has been) threatening me",
        ),
        (
            "self-harm",
            1.2,
            r"(?:cut|cuts|cutting) (?:so |too |really |very |way too )?deep(?:er)?(?! (?:into (?:the|this) (?:topic|subject|issue)|discount))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:everyone|everybody|they|people|my family|the world|my parents|my friends|you all) (?:would|will|'d) (?:all )?(?:be )?(?:relieved|happier|better off|fine|glad|better) (?:if|when|once) i (?:was|were|am|'?m|died|disappeared|was gone|were gone)(?: \w+)? ?(?:dead|gone|not here|not around)?",
        ),
        (
            "suicidal",
            1.2,
            r"(?:going to|gonna|about to|will|ready to|i'?ll) jump (?:tonight|now|today|off|from|in front)",
        ),
        (
            "suicidal",
            0.6,
            r"(?:already |standing |sitting |i'?m |im )on the (?:roof|ledge|edge|bridge|railing)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:a plan and the means|have the means|got the means|the means to do it|i know how i'?(?:d|ll|m going to) do it)",
        ),
        (
            "distress",
            0.6,
            r"(?:just )?(?:wanted|want|needed) to say (?:bye|goodbye|good bye|farewell)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:except|but|other than|only|besides) (?:death|dying|to die|suicide|killing myself|ending it)|(?:only|one) way out (?:is|would be) (?:death|to die|suicide|ending it)",
        ),
        (
            "self-harm",
            1.0,
            r"(?:hidden|hiding|hid|stashed|stashing|stash of|collecting|keeping|saving) (?:\w+ )?(?:razors?|blades?|razor blades|knives)",
        ),
        (
            "abuse",
            1.5,
            r"(?:find|come for|come after|get|hunt|track) me (?:down )?and (?:kill|murder|hurt|stab|shoot|beat) me",
        ),
        (
            "abuse",
            1.2,
            r"(?:is |'?s |are |keeps |just |started )?(?:hitting|beating|choking|strangling|hurting|attacking|stabbing|kicking|punching) my (?:mom|mum|mother|sister|brother|wife|baby|little \w+|kids?|son|daughter|girlfriend|grandma)(?! (?:at|in) )",
        ),
        # ---------------------------------------------------------------- suicidal
        (
            "suicidal",
            1.2,
            r"(?:^|i|i'?m|im|i am|me){g} (?:want|wanna|wish|need|ready|planning|plan|trying|decided|deserve|deserved|tempted|longing)(?: \w+){0,2} to (?:just |simply |finally |really |quietly |peacefully )?(?:die|be dead|not exist|not be alive|not be here anymore|end (?:it all|my life|everything)|kill myself|disappear forever|stop existing|stop living)(?! (?:of|from|laughing|my|your|her|his|for (?:a|that|this)))",
        ),
        (
            "medical",
            0.8,
            r"(?:i|i just|i keep|i'?ve been|i have been|today i|and i) (?:fainted|fainting|blacked out|keep passing out|passed out)(?! (?:on the (?:couch|sofa|bed)|drunk|after (?:the|a|that) (?:party|night|shift)|from (?:exhaustion|tiredness)|watching|in front of))",
        ),
        (
            "suicidal",
            1.0,
            r"(?:stop|stopped|quit) being (?:a |such a |the )?(?:burden|problem|waste of space)(?: (?:to|for|on) (?:everyone|everybody|anyone|them|my family))?",
        ),
        (
            "suicidal",
            1.2,
            r"(?:thoughts?|thinking|thought|think|ideas?|urges?|fantasi[sz]ing|dreaming) (?:of|about) (?:suicide|killing myself|ending my life|ending it all|ending it|not being alive|not existing|my own death|taking my (?:own )?life)",
        ),
        (
            "suicidal",
            0.8,
            r"(?:thoughts?|thinking|thought|think) (?:of|about) (?:dying|death|being dead) (?:a lot|all the time|every day|constantly|lately)",
        ),
        (
            "suicidal",
            0.8,
            r"(?:want|wanna|wish i could|going|need) to (?:sleep|go to sleep|fall asleep) (?:forever|for ever|and not wake up|for good)",
        ),
        (
            "suicidal",
            0.6,
            r"(?:looking|look|looked|staring|stare|stared|standing|stood) (?:at|over|on|near) (?:the|a) (?:bridge|edge|ledge|tracks|train tracks|roof|cliff|river)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:voices?|they|it|something|someone) (?:keeps? |keep |are |is |was |were )?(?:telling|tells|told|ordering|orders|commanding) me to (?:kill|hurt|harm|cut|end) (?:myself|my life)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:i have|i'?ve got|ive got|i got|holding|there'?s) (?:a|the|my (?:dad|father|husband)'?s) (?:gun|pistol|rifle|knife|blade|razor|rope) (?:in my (?:lap|hand|hands|pocket)|next to me|in front of me|on my (?:lap|bed|desk)|loaded|right here)",
        ),
        (
            "suicidal",
            0.7,
            r"(?:wrote|written|left|writing) (?:a |the )?(?:note|letter|letters|notes) (?:for|to) (?:my (?:family|kids|parents|mom|mum|dad|friends|wife|husband|sister|brother|partner|boyfriend|girlfriend)|everyone)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:want|wanna|going|need) to (?:disappear|vanish|sumir) (?:forever|for good|for ever)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:life|living|it|this life|my life)(?:'?s| is)? (?:not|isn'?t|ain'?t|no longer) worth (?:living|it anymore|it any more|being alive|the pain)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:point|reason) (?:of|in|to|for) (?:even |still |me )?(?:being alive|living|staying alive|keep living|existing|going on|waking up)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:disappear|vanish|go away|leave) (?:and never come back|and never be found|without a trace forever)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:pray|praying|hope|hoping|wish|wishing)(?: that)? i (?:won'?t|don'?t|never|wouldn'?t|dont|wont) wake up",
        ),
        (
            "suicidal",
            1.2,
            r"(?:not going to|not gonna|won'?t|will not|wont) be (?:here|around|alive|a problem|a burden)(?: for anyone| for you| to anyone)? (?:much longer|for long|tomorrow|anymore|after tonight|by morning)",
        ),
        (
            "suicidal",
            0.6,
            r"(?:want|wish|need) (?:it all|everything|it|the pain|this|all of it|the world) to (?:stop|go away|go quiet)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:drive|driving|drove|crash|crashing|steer|steering|swerve|swerving) (?:my car |the car |myself )?(?:into|off|in front of) (?:a|the) (?:wall|tree|bridge|cliff|truck|lorry|oncoming traffic|river|pole|barrier)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:bought|buying|got|have|found) (?:a|some|the) rope(?! (?:for|to tie|to climb|for the|swing|ladder|course))",
        ),
        (
            "suicidal",
            1.0,
            r"(?:razor|blade|knife|knives)(?: \w+){0,6} (?:in the bath|in the bathtub|on my wrists?|to my wrists?|against my wrists?)|(?:bath|bathtub)(?: \w+){0,6} (?:razor|blade)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:the |my |all the |all my )?(?:pills|tablets|meds|razor|blade|rope|gun) (?:are |is )?(?:in my hand|in my hands|next to me|in front of me)",
        ),
        ("suicidal", 1.5, rf"(?:kill|killing|killed|off|offing|unalive|unaliving|end) {_SELF}"),
        ("suicidal", 1.5, r"kms|kmsl"),
        ("suicidal", 1.5, r"(?:end|ending|take|taking) my (?:own )?life"),
        ("suicidal", 1.2, r"(?:end|ending) it all"),
        (
            "suicidal",
            1.5,
            r"(?:end|ending|finish) (?:it|things|everything)(?: all)? (?:tonight|today|now|soon|this week|for good|once and for all)",
        ),
        (
            "suicidal",
            1.0,
            rf"{_INTENT}{{g}} (?:end|ending) (?:it|things|everything)(?! (?:with|between))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:i'?m|im|i am|feeling|feel|been|getting|get|got) (?:really |so |very |pretty |kinda |a bit |quite )?suicidal",
        ),
        (
            "suicidal",
            1.5,
            r"suicid\w*(?: \w+)? (?:thoughts|ideation|plan|plans|note|attempt|urges|feelings)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:thinking|thought|think|thinkin|considering|considered|contemplating) (?:about |of )?suicide",
        ),
        ("suicidal", 1.5, r"commit(?:ting)? suicide"),
        (
            "suicidal",
            1.5,
            r"(?:^|i|i'?m|im|just|really|honestly|seriously|sometimes|often){g} (?:want|wanted|wish|need) to (?:die|be dead|not exist|not be alive|stop existing|stop living|not wake up|never wake up)(?! (?:my|your|her|his) hair)",
        ),
        ("suicidal", 1.2, r"^(?:want|wanting|wish|wishing) to (?:die|be dead)"),
        ("suicidal", 1.5, r"(?:wish|wishing) i (?:was|were|could be) dead"),
        ("suicidal", 1.0, r"(?:wish|wishing) i (?:was|were|had|'d) never (?:been )?born"),
        (
            "suicidal",
            1.5,
            r"(?:better off|be better|easier for everyone|happier|be fine) (?:without me|if i (?:just |simply )?(?:was|were|wasn'?t|weren'?t|died|disappeared|was gone|were gone|was dead|were dead|didn'?t exist|wasn'?t here|wasn'?t around|wasnt|werent))",
        ),
        ("suicidal", 1.5, r"better off dead"),
        (
            "suicidal",
            1.2,
            r"(?:easier|better) if i (?:was|were|wasn'?t|weren'?t|was not|were not|wasnt|werent) (?:here|alive|around|born|gone|dead)",
        ),
        (
            "suicidal",
            1.5,
            r"(?:don'?t|dont|do not|no longer|never) (?:really |even |honestly |actually )?(?:want|wanna|wish) to (?:live|be alive|exist|keep living|go on living|wake up|keep waking up|see tomorrow)(?! (?:in|with|at|near|like that|there|early|for|on|so|by|until|till|before|alone|together|abroad|next))",
        ),
        (
            "suicidal",
            1.0,
            r"(?:don'?t|dont|do not|no longer) (?:really |even )?(?:want|wanna) to be here (?:anymore|any more|at all)",
        ),
        ("suicidal", 0.6, r"(?:don'?t|dont|do not) (?:want|wanna) to live like this"),
        (
            "suicidal",
            1.2,
            r"(?:don'?t|dont|do not) (?:really )?(?:know|think) (?:if|whether|that) i (?:want|can keep|can go on|wanna|can do) (?:to )?(?:live|be alive|exist|go on|keep going|living|life)",
        ),
        ("suicidal", 1.5, r"hope i (?:don'?t|dont|never|won'?t) wake up"),
        (
            "suicidal",
            1.5,
            r"(?:sleep|fall asleep|go to sleep|close my eyes)(?: \w+)? and never (?:wake up|open them)",
        ),
        ("suicidal", 1.0, r"never (?:want to )?wake up again"),
        (
            "suicidal",
            1.2,
            r"(?:no|the) (?:reason|point) (?:to|in|of|for) (?:living|live|being alive|being here|going on|keep going|waking up|wake up|existing|my life|life)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:don'?t|dont|do not|can'?t|cant|cannot|no longer)(?: really| even| honestly| actually| just)? (?:have|see|find|got)(?: \w+)? (?:any|a|the|one) (?:reason|point) (?:to|in|of|for) (?:living|live|being alive|going on|keep going|waking up|wake up|existing|life|anything anymore|it anymore|any of it)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:what'?s|whats|what is) the point (?:of|in) (?:even )?(?:living|life|being alive|going on|waking up|existing|me being here)",
        ),
        ("suicidal", 1.2, r"nothing (?:left )?to live for"),
        ("suicidal", 1.2, r"life (?:isn'?t|is not|isnt|ain'?t) worth (?:living|it)"),
        (
            "suicidal",
            1.0,
            r"(?:tired|sick|exhausted) of (?:living|being alive|existing|life itself|waking up|being here)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:can'?t|cant|cannot) (?:go on|keep going|keep living|live like this)(?: \w+)? (?:anymore|any more|much longer|another day|like this)",
        ),
        ("suicidal", 0.7, r"(?:can'?t|cant|cannot) go on"),
        (
            "suicidal",
            1.2,
            r"(?:no one|nobody|none of them|noone) (?:would|will|is going to|gonna) (?:even )?(?:miss me|notice (?:if|when) i'?m gone|care if i (?:die|died|was gone|disappeared))",
        ),
        (
            "suicidal",
            1.0,
            r"(?:no one|nobody|noone) (?:would|will) (?:even )?(?:notice|care)(?: \w+)? if i (?:was|were|died|disappeared|was gone|were gone|wasn'?t here)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:i'?m|im|i am) (?:just |only |nothing but )?(?:a |such a )?(?:burden|dead weight|waste of space|waste of oxygen) (?:to|for|on) (?:everyone|everybody|all of them|my family|them|anyone|the people)",
        ),
        (
            "suicidal",
            0.7,
            r"(?:i'?m|im|i am|i feel like) (?:just |only |nothing but )?(?:a |such a )?(?:burden|dead weight)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:this is|this'?ll be|this will be) (?:my )?(?:last|final) (?:message|text|goodbye|night|day)(?! (?:before|for (?:today|tonight|now|a while|the day|this week)|until|till|today|at work|of (?:work|school|the)))",
        ),
        (
            "suicidal",
            1.5,
            r"(?:last time|last thing) (?:you'?ll|you will|anyone will) (?:ever )?(?:hear|see) (?:from|of) me",
        ),
        (
            "suicidal",
            1.2,
            r"(?:won'?t|will not|wont) be (?:here|around|alive|a problem|a burden)(?: for anyone| for you| to anyone)? (?:much longer|for long|tomorrow|anymore|after tonight|by morning)",
        ),
        (
            "suicidal",
            2.0,
            r"(?:wrote|writing|written|write|left|leaving|finished) (?:a |my |the )?(?:suicide|goodbye|farewell) (?:note|letter|notes|letters|message|messages)",
        ),
        (
            "suicidal",
            0.7,
            r"(?:wrote|writing|written|write) (?:letters|a letter|notes|goodbyes) (?:to|for) (?:my (?:family|kids|parents|mom|mum|dad|friends|wife|husband|sister|brother)|everyone)",
        ),
        (
            "suicidal",
            0.7,
            r"(?:giving|gave|given|give) (?:all )?(?:my|of my) (?:stuff|things|belongings|possessions|clothes|books|games|cat|dog|pets?|jewellery|jewelry|savings)(?: \w+){0,3} away",
        ),
        (
            "suicidal",
            0.7,
            r"(?:giving|gave|given|give) away (?:all )?(?:my|of my) (?:stuff|things|belongings|possessions|clothes|books|games|cat|dog|pets?|jewellery|jewelry|savings)",
        ),
        (
            "suicidal",
            2.0,
            rf"(?:the |my |all (?:the |my )?(?:of )?)?{_PILLS} (?:are |is )?(?:lined up|laid out|counted|ready|saved up|stockpiled|in front of me|on the (?:desk|table|bed|counter))",
        ),
        (
            "suicidal",
            2.0,
            rf"(?:lined up|laid out|counted(?: out)?|saving up|saved up|stockpiling|stockpiled|hoarding|collecting|collected|bought enough|buying enough) (?:all )?(?:of )?(?:my |the |enough |a lot of |lots of )?{_PILLS}(?! (?:for (?:the|my) (?:week|trip|holiday|vacation)|into))",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:take|taking|swallow|swallowing|down|downing|gonna take|going to take) (?:all|every one|the whole (?:bottle|box|pack|packet)|a whole (?:bottle|box|pack|packet)|all (?:of )?(?:my|the|these))(?: of)?(?: my| the| these)? {_PILLS}",
        ),
        ("suicidal", 2.0, rf"enough {_PILLS} to (?:die|kill|end|not wake|never wake|overdose)"),
        (
            "suicidal",
            1.5,
            r"(?:how many|how much)(?: \w+){0,3} (?:would it take|does it take|to die|to overdose|is lethal|is fatal|would kill me|to kill myself|to not wake up|to end it)",
        ),
        ("suicidal", 1.5, r"(?:lethal|fatal|deadly) (?:dose|amount|overdose)"),
        (
            "suicidal",
            1.5,
            r"(?:painless|easiest|quickest|best|quick|fastest|surest) (?:way|ways|method|methods) to (?:die|go|end it|kill myself|end my life|not wake up)",
        ),
        (
            "suicidal",
            2.0,
            r"(?:tied|tying|tie|bought|buying|got|made|making) (?:a |the )?(?:noose|rope to hang)",
        ),
        (
            "suicidal",
            1.5,
            rf"(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|stab|stabbing|gas) {_SELF}",
        ),
        (
            "suicidal",
            2.0,
            r"slit(?:ting)? my (?:wrists?|throat)|(?:cut|cutting|slice|slicing) my wrists? (?:open|deep|tonight)",
        ),
        (
            "suicidal",
            1.5,
            rf"{_INTENT}{{g}} (?:jump|jumping) (?:off|from) (?:a|the|my|this|that) (?:bridge|roof|rooftop|building|balcony|cliff|tower|overpass|ledge|car park|parking garage|\w+ floor)",
        ),
        (
            "suicidal",
            1.5,
            rf"{_INTENT}{{g}} (?:jump|step|throw myself|walk|lie down) (?:in front of|under|into|onto) (?:a|the) (?:train|tracks|bus|truck|lorry|traffic|river|sea|motorway|highway)",
        ),
        ("suicidal", 0.7, rf"{_INTENT}{{g}} jump out (?:of )?(?:a|the|my) window"),
        (
            "suicidal",
            1.0,
            r"(?:standing|sitting|i'?m|im|i am) on (?:the|a|my) (?:edge|ledge|bridge|roof|rooftop|railing)(?: of \w+| of the \w+)? (?:right now|now|tonight|and (?:thinking|looking|want))",
        ),
        (
            "suicidal",
            2.0,
            r"(?:gun|pistol|knife|blade|razor) (?:to|against|at) my (?:head|throat|wrist|wrists|chest|temple)",
        ),
        (
            "suicidal",
            1.2,
            r"(?:researching|looked up|looking up|googled|googling|searching|searched) (?:for )?(?:ways|how|methods) to (?:die|kill myself|end it|overdose|end my life)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:i have|i'?ve got|ive got|i got|i'?ve made|i made) a plan(?: \w+){0,3} (?:to die|to end it|to kill|tonight|for tonight|how to)",
        ),
        (
            "suicidal",
            1.0,
            r"(?:want|wish|need) (?:it|everything|the pain|this|all of this|it all) (?:all )?to (?:end|stop|be over)(?: \w+)? (?:forever|for good|permanently|for ever)",
        ),
        ("suicidal", 0.6, r"(?:want|wish|need) (?:it|everything|it all) (?:all )?to end"),
        (
            "suicidal",
            1.0,
            r"(?:disappear|vanish|stop existing|cease to exist|fade away) (?:forever|for good|permanently)",
        ),
        ("suicidal", 1.2, r"(?:say|said|saying) goodbye (?:forever|for good|one last time)"),
        ("suicidal", 0.5, r"(?:say|saying) (?:my )?goodbyes? to (?:everyone|you all|all of you)"),
        (
            "suicidal",
            1.0,
            r"(?:tried|try|trying|attempted|attempt|attempting) (?:to )?(?:kill|end|off) (?:myself|my life)",
        ),
        ("suicidal", 1.0, r"(?:suicide|suicidal) (?:again|tonight|right now)"),
        ("suicidal", 1.5, r"(?:overdose|od) on purpose"),
        (
            "suicidal",
            1.5,
            rf"{_OTHER_IS} (?:going to|gonna|about to|planning to|threatening to|trying to|talking about|saying (?:s?he|they)(?:'ll| will| wants? to)) (?:kill|killing|end|ending) (?:himself|herself|themselves|themself|his life|her life|their life)(?! (?:in the|at the end|in that|in this))",
        ),
        (
            "suicidal",
            1.5,
            rf"{_OTHER} (?:wants|says s?he wants|just told me s?he wants|told me s?he'?s going) to (?:kill|end) (?:himself|herself|themselves|his life|her life)(?! (?:in the|at the end|in that))",
        ),
        # -------------------------------------------------------------- self-harm
        (
            "self-harm",
            1.5,
            r"(?:can'?t|cant|cannot|couldn'?t) stop (?:cutting|hurting myself|harming myself|burning myself|scratching myself|hitting myself|self harming)",
        ),
        (
            "self-harm",
            0.8,
            r"(?:starving|starve|starved) myself|(?:purging|purge|purged) (?:again|every|after)",
        ),
        (
            "self-harm",
            1.5,
            rf"(?:cut|cutting|cuts|carved|carving|burn|burned|burnt|burning|hurt|hurting|harm|harming|scratch|scratched|scratching|punch|punched|punching|hit|hitting|bruise|bruising|starve|starving|bite|biting) {_SELF} (?:again|on purpose|deliberately|intentionally|tonight|last night|today|every night|to feel|to cope|until|till|so i|because i)",
        ),
        (
            "self-harm",
            1.2,
            rf"(?:cut|cutting|carve|carving|carved) {_SELF}(?! (?:shaving|cooking|chopping|on|while|with a (?:kitchen|bread)|by accident|accidentally|slicing|opening|a (?:slice|piece)|some))",
        ),
        ("self-harm", 1.5, r"self[ -]?harm\w*|selfharm\w*|self[ -]?injur\w*|self[ -]?mutilat\w*"),
        (
            "self-harm",
            1.5,
            rf"(?:want|wanted|urge|urges|need|needed|tempted|itching|going|gonna|about) to (?:cut|hurt|harm|burn|punish|bleed) {_SELF}",
        ),
        (
            "self-harm",
            1.2,
            r"(?:cut|cutting|cuts|carved|burned|burnt|burning|scratched|scratching|sliced) (?:my|both my|into my) (?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?|forearms?)(?! (?:on|while|by accident|accidentally|with the|badly on|at work|when|open on))",
        ),
        (
            "self-harm",
            1.2,
            r"(?:^|i|i'?ve|ive|i have|been|started|start|i just) (?:cut|cutting|cutted) (?:again|last night|tonight|today|this morning|deeper|for the first time)",
        ),
        (
            "self-harm",
            1.0,
            r"(?:relapsed|relapse|relapsing)(?: on| with| into)? (?:cutting|self ?harm|sh|the blade|blades|razors?|burning)",
        ),
        (
            "self-harm",
            1.0,
            r"(?:picked up|got out|took out|grabbed) (?:the|a|my) (?:blade|razor|razor blade|lighter)s? (?:again|tonight)",
        ),
        (
            "self-harm",
            1.2,
            r"(?:until|till|til) (?:it|they|i|my \w+) (?:bled|bleed|bleeds|blistered|scarred|was bleeding)",
        ),
        (
            "self-harm",
            1.2,
            r"(?:with|using) a (?:lighter|cigarette|match|hot (?:knife|iron|spoon)|razor|blade|compass|pencil sharpener blade)(?: \w+){0,3} (?:on purpose|again|deliberately)",
        ),
        (
            "self-harm",
            1.0,
            r"(?:on purpose|deliberately|intentionally) (?:again|to feel|to make|to stop)",
        ),
        (
            "self-harm",
            1.0,
            r"(?:banging|banged|hitting|hit|smashing) my head (?:against|on|into) (?:the |a )?(?:wall|floor|door|desk)(?: \w+)? (?:until|till|again|on purpose)",
        ),
        (
            "self-harm",
            0.5,
            r"deeper than (?:before|last time|ever)|(?:fresh|new) (?:cuts|scars|wounds)",
        ),
        (
            "self-harm",
            0.4,
            r"only thing that (?:helps|works|makes (?:it|the \w+|everything) stop)",
        ),
        # ---------------------------------------------------------------- overdose
        (
            "overdose",
            1.5,
            rf"(?:i|i'?ve|ive|i have|i just|just|i think i|think i|i might have|i may have|he|she|my \w+) (?:has |have |just )?(?:took|taken|swallowed|downed|had|ate|necked|drank) (?:all|a (?:whole|full) (?:bottle|box|pack|packet|strip)|the (?:whole|entire|full) (?:bottle|box|pack|packet)|(?:like|about|around|maybe|almost|nearly|over) (?:[1-9]\d+|twenty|thirty|forty|fifty|a hundred)|way too many|too many|so many|too much|loads of|a bunch of|a lot of|lots of|a load of|a pile of|[1-9]\d+|twenty|thirty|forty|fifty|a handful of|handfuls of|dozens of)(?: \w+){{0,3}} {_PILLS}",
        ),
        (
            "overdose",
            1.5,
            r"(?:i|i'?ve|ive|i have|i think i|think i|just|i might have|i may have|she|he|they|my \w+) (?:has |have |just |might have |may have )?(?:overdosed|od'd|odd|oded|od'ed)",
        ),
        (
            "overdose",
            1.2,
            r"(?:i'?m|im|i am|is|she'?s|he'?s|they'?re) (?:overdosing|having an overdose|od'?ing)",
        ),
        (
            "overdose",
            1.5,
            rf"(?:took|swallowed|taken|downed) (?:every|each|every single) (?:pill|tablet|capsule)|(?:took|swallowed|taken) all (?:the|my) {_PILLS} in (?:the|my) (?:bottle|box|cabinet|house)",
        ),
        (
            "overdose",
            1.5,
            r"(?:drank|drunk|swallowed|ate|took|drinking|eaten|swallowing) (?:some |a bottle of |a cup of |a glass of |some of (?:the|my) |one of (?:the|my) |a few |the |a |an )?(?:bleach|poison|antifreeze|rat poison|weed killer|pesticide|drain cleaner|detergent|lighter fluid|dishwasher (?:pods?|tablets?|detergent)|laundry (?:pods?|detergent)|tide pods?|pods|batteries|button batter(?:y|ies)|cleaning (?:liquid|product|stuff)|cleaner|magnets)",
        ),
        (
            "overdose",
            1.0,
            rf"(?:mixed|mixing|took|taking) (?:my |all my |a lot of )?{_PILLS} (?:with|and) (?:a bottle of |some |a lot of |lots of |half a bottle of )?(?:alcohol|vodka|wine|beer|whiskey|booze|drinks|gin|rum|tequila)",
        ),
        # ------------------------------------------------------------------- abuse
        (
            "abuse",
            1.2,
            rf"{_PERSON} (?:just |has |had |then )?(?:pushed|shoved|threw|kicked|dragged) me (?:down|into|against|off|out of|across|onto|to the (?:ground|floor))(?! (?:the pool|a job|the idea))",
        ),
        ("abuse", 0.8, r"(?:stalking|stalks|stalked|stalker) (?:me|outside)|(?:is|keeps) stalking"),
        (
            "abuse",
            0.6,
            r"(?:someone|somebody|a man|a guy|a stranger|some guy|a person|people|there'?s (?:someone|somebody|a man|a guy)) (?:is |'?s |are |keeps )?(?:outside|standing outside|looking in|at) my (?:window|door|house|flat|apartment|car)",
        ),
        (
            "abuse",
            1.5,
            r"(?:threatened|threatening|threatens|threaten|swore|promised|says|said|told me|keeps saying|texted) (?:to|(?:s?he|they|he'?s|she'?s)(?:'ll| will| would|'d| is going to| was going to| gonna| going to)) (?:kill|murder|hurt|stab|shoot|strangle|beat|choke|end) me",
        ),
        (
            "abuse",
            1.2,
            rf"{_PERSON}{_WILL} (?:kill|murder|stab|shoot|strangle|choke|hurt|beat) me (?:if|when|because|for|tonight|this time)",
        ),
        ("abuse", 0.7, rf"{_PERSON}{_WILL} (?:kill|murder|stab|shoot|strangle|choke) me"),
        (
            "abuse",
            1.2,
            rf"{_PERSON} (?:just |has been |keeps |always |has |had |often |again |then |also |even |literally )?{_HIT} me(?! (?:at|in|to|up|out|off|from|with (?:a|the) (?:pillow|ball|snowball|nerf)|playfully|by accident|accidentally|back|around|on the shoulder))",
        ),
        (
            "abuse",
            1.5,
            r"(?:threw|throws|throwing|thrown|hurled) (?:a |the |his |her |my )?(?:chair|bottle|glass|plate|knife|lamp|phone|pan|table|punch|punches|things|stuff|remote|mug|furniture|dishes) at (?:me|my head|my face|us|my (?:mom|mum|mother|sister|brother|wife|kids?|baby))",
        ),
        ("abuse", 1.5, r"(?:hand|hands|arm|belt|cord) (?:around|round|on) my (?:throat|neck)"),
        (
            "abuse",
            1.5,
            r"(?:raped|sexually assaulted|molested|assaulted|abused|abusing|abuses|beat up|beats up) me",
        ),
        (
            "abuse",
            1.0,
            r"(?:being|been|was|got|getting) (?:raped|sexually assaulted|molested|abused|beaten up|beaten|attacked|strangled|choked|stalked)(?! (?:by (?:the|this) (?:game|boss|level)|in (?:the|a) game))",
        ),
        (
            "abuse",
            1.2,
            r"(?:he|she|they|someone|somebody|a man|a guy) (?:has|had|is holding|is pointing|pulled|pulled out|grabbed|'s got|got) (?:a |his |her )?(?:gun|knife|weapon|machete)",
        ),
        (
            "abuse",
            1.2,
            r"(?:someone|somebody|a man|a guy|a stranger|some guy|a person|people|he|she) (?:is |'s |are |has been )?(?:trying to (?:break|get) in(?:to)?|breaking in(?:to)?|broke in(?:to)?|in my (?:house|flat|apartment|room))",
        ),
        (
            "abuse",
            0.8,
            r"(?:someone|somebody|a man|a guy|a car|a stranger|some guy|he|she)(?:'s| is| has been| keeps)? following me",
        ),
        ("abuse", 1.0, r"(?:locked|locks|locking) me (?:in|inside|out|up)"),
        (
            "abuse",
            1.0,
            rf"{_PERSON} (?:won'?t|will not|doesn'?t|wont) let me (?:leave|go|out|call|get out|eat|sleep)",
        ),
        (
            "abuse",
            1.0,
            r"(?:scared|afraid|terrified|frightened) (?:for my life|(?:he|she|they)(?:'ll| will| might| is going to| gonna| would) (?:kill|hurt|find|come|beat)|to go (?:back )?home|of (?:him|her|my (?:boyfriend|husband|dad|father|partner|ex|stepdad|mom|mother)))",
        ),
        ("danger", 0.6, r"(?:hiding|hidden|hide) (?:in|under|from|inside)"),
        (
            "danger",
            0.6,
            r"locked (?:the |my )?(?:front |back |bedroom |bathroom )?(?:door|doors)|locked myself in|locked in",
        ),
        (
            "danger",
            0.6,
            r"(?:outside|banging on|pounding on|hammering on|kicking|at) (?:my|the) (?:front )?(?:door|building|house|flat|apartment|window|bedroom door)",
        ),
        (
            "danger",
            0.5,
            r"(?:he'?s|she'?s|he is|she is|they are|they'?re) (?:drunk|high|angry|furious|raging|screaming|yelling|outside|coming)",
        ),
        ("danger", 0.5, r"(?:scared|terrified|afraid|frightened|shaking)"),
        ("danger", 0.5, r"if i (?:leave|tell|call|go|report)"),
        (
            "danger",
            0.6,
            r"with a (?:knife|gun|weapon|bat|hammer|machete)|showed up at my (?:door|house|work|flat|place)|(?:i'?m|im|i am) (?:home )?alone",
        ),
        ("danger", 0.4, r"right now|tonight"),
        # ----------------------------------------------------------------- medical
        (
            "symptom",
            0.6,
            r"(?:left arm|my arm|jaw|my jaw) (?:hurts|is hurting|aches|is aching|pain|feels heavy)|pain (?:in|down) my (?:left arm|jaw)",
        ),
        (
            "medical",
            1.0,
            r"(?:and |but |now )(?:won'?t|isn'?t|is not|will not|wont|can'?t|doesn'?t) (?:wake up|waking up|breathing|breathe|respond|responding)",
        ),
        (
            "medical",
            1.0,
            r"(?:can'?t|cannot|cant|couldn'?t) (?:speak|talk|get (?:my|the) words out) (?:properly|clearly|right|normally)|(?:half|one side of|the side of) my face (?:is |feels |went |has gone )?(?:numb|drooping|droopy|paralysed|paralyzed|weird)",
        ),
        (
            "medical",
            1.0,
            r"(?:lips|face|skin|fingers) (?:are |is |look |looks |turning |turned |went )?(?:blue|grey|gray|purple)(?! (?:from|with) (?:paint|cold water|the cold))",
        ),
        (
            "medical",
            0.8,
            r"chest pains?|pain in (?:my|his|her) chest|(?:my|his|her) chest (?:hurts|is hurting|is tight|feels tight|feels heavy)|tightness in (?:my|his|her) chest|crushing (?:pain|pressure)|pressure (?:on|in) (?:my|his|her) chest",
        ),
        (
            "medical",
            1.5,
            rf"(?:i'?m|im|i am|i think i'?m|think i'?m|i think i am|might be|may be|{_OTHER_IS}) having (?:a|an) (?:heart attack|stroke|seizure|fit|allergic reaction|anaphylactic)",
        ),
        (
            "medical",
            1.5,
            rf"(?:{_OTHER_IS}|{_OTHER} (?:has|just|suddenly)) (?:stopped breathing|not breathing|barely breathing|unconscious|unresponsive|not responding|not waking up|turning blue|gone blue|choking|seizing|convulsing|having a seizure|fitting)",
        ),
        (
            "medical",
            1.5,
            rf"{_OTHER} (?:won'?t|wont|isn'?t|will not|can'?t) (?:wake up|waking up|breathe|breathing)",
        ),
        ("medical", 1.2, rf"{_OTHER} (?:just )?(?:collapsed|passed out|fainted|fell and hit)"),
        (
            "medical",
            0.8,
            r"(?:i|i just|i think i) (?:can'?t|cant|cannot|can barely|couldn'?t) (?:breathe|breath|get (?:any |enough )?air)(?! (?:through my nose|with this cold|from laughing|in this|in here because|when i laugh))",
        ),
        (
            "medical",
            1.2,
            r"(?:face|mouth|smile) (?:is |has |started |suddenly )?(?:drooping|droops|drooped|sagging|crooked|numb on one side|looks uneven|went lopsided)",
        ),
        (
            "medical",
            1.0,
            r"(?:slurring|slurred|slurs) (?:his |her |my |their )?(?:words|speech)|(?:speech|words) (?:is |are )?(?:slurred|garbled)",
        ),
        (
            "medical",
            1.0,
            r"(?:can'?t|cannot|cant) (?:move|feel|lift) (?:my|his|her) (?:left |right )?(?:arm|leg|face|side)",
        ),
        (
            "medical",
            1.0,
            r"(?:one side of|half of|the left side of|the right side of) (?:my|his|her) (?:face|body)(?: \w+){0,3} (?:numb|drooping|won'?t move|paralysed|paralyzed|weak)",
        ),
        ("medical", 1.2, r"worst headache of my life"),
        (
            "medical",
            1.2,
            r"(?:won'?t|will not|doesn'?t|does not|can'?t|wont|isn'?t|not) stop(?:ping)? bleeding|bleeding (?:heavily|a lot|badly|everywhere|so much|won'?t stop|profusely|out)|losing (?:a lot of|so much) blood|(?:so much|lots of|a lot of|pool of) blood|blood (?:everywhere|all over)",
        ),
        (
            "medical",
            1.2,
            r"(?:throat|tongue|lips|face) (?:is |are |has |started )?(?:swelling|swollen|closing|closing up|tight and)",
        ),
        ("medical", 1.0, r"anaphyla\w*|allergic reaction"),
        (
            "medical",
            1.0,
            r"(?:call|calling|need|get|send) (?:an|the|a) ambulance|(?:should i|do i|i need to|gonna) call (?:911|999|112|000|an ambulance)",
        ),
        (
            "medical",
            1.0,
            r"(?:hit|banged) (?:my|his|her) head(?: \w+){0,4} (?:vomiting|throwing up|confused|can'?t remember|bleeding|unconscious|passed out)",
        ),
        (
            "medical",
            0.6,
            r"(?:feel|feels|feeling) like (?:i'?m|im|i am) (?:dying|going to die|about to die)|think i'?m dying",
        ),
        (
            "symptom",
            0.6,
            r"(?:arm|arms|jaw|left arm|left side|face|hand|leg) (?:is |are |went |going |feels |getting |keeps going )?(?:numb|tingling|heavy|weak)",
        ),
        (
            "symptom",
            0.5,
            r"cold sweat|sweating|sweaty|clammy|sweat(?:ing)? cold",
        ),
        (
            "symptom",
            0.5,
            r"nauseous|nausea|dizzy|throwing up|vomiting|light ?headed|about to pass out",
        ),
        (
            "symptom",
            0.5,
            r"short of breath|shortness of breath|can'?t catch my breath|struggling to breathe|hard to breathe",
        ),
        (
            "symptom",
            0.5,
            r"racing heart|pounding heart|heart (?:is |keeps )?(?:racing|pounding|skipping|beating (?:so |really )?fast)",
        ),
        (
            "symptom",
            0.4,
            r"(?:for|past|last|over) (?:\d+|ten|twenty|thirty|fifteen|an|half an|a few|an|the last) (?:min|mins|minutes|hour|hours)",
        ),
        ("symptom", 0.4, r"what (?:do|should) i do|help me|please help|help|what do we do"),
        (
            "symptom",
            0.4,
            r"(?:keeps|keep) saying (?:s?he'?s|i'?m|they'?re) (?:fine|ok|okay)|says (?:s?he'?s|he is|she is) fine",
        ),
        ("symptom", 0.3, r"suddenly|out of nowhere|all of a sudden"),
        # ---------------------------------------------------------------- distress
        (
            "distress",
            0.4,
            r"(?:can'?t|cant|cannot) (?:take|handle|do|bear|stand) (?:it|this|any of this|this anymore)(?: \w+)? (?:anymore|any more|much longer)",
        ),
        (
            "distress",
            0.4,
            r"no way out|hopeless|no hope|no future|give up on (?:life|everything)|done with (?:life|everything|it all)|(?:so )?tired of everything",
        ),
        ("distress", 0.5, r"(?:easier|better) this way"),
        (
            "distress",
            0.5,
            r"(?:made|make|making) (?:my )?peace with (?:it|everything|everyone|everybody|god|my decision)|i'?m sorry for everything|sorry for everything|forgive me for (?:what|everything)",
        ),
        (
            "distress",
            0.5,
            r"how easy it would be|it would be so easy|(?:tired|exhausted|sick) of (?:fighting|trying|being me|pretending|struggling)",
        ),
        ("distress", 0.4, r"i think it'?s time|it'?s time i (?:stopped|go|went|ended)"),
        ("distress", 0.5, r"^(?:permanently|forever|for good|for ever|for real this time)$"),
        (
            "distress",
            0.5,
            r"(?:wanted|want|needed) to tell (?:someone|somebody|you) (?:first|before)",
        ),
        (
            "distress",
            0.5,
            r"before i go|(?:goodbye|bye) (?:forever|everyone|for good)|thank you for everything(?: \w+)? goodbye|i love you all|take care of (?:my|mom|mum|dad) \w+ for me",
        ),
        (
            "distress",
            0.4,
            r"(?:i'?ve|ive|i have) (?:decided|made up my mind)(?: \w+)? (?:tonight|it'?s time|this is it)|tonight'?s the night|tonight is the night",
        ),
        (
            "distress",
            0.4,
            r"(?:nobody|no one|noone) (?:cares|would care|loves me|needs me|would notice)",
        ),
        (
            "distress",
            0.3,
            r"(?:every ?day|everything|life) is (?:the same )?(?:grey|gray|empty|meaningless|pointless|nothing)",
        ),
    ],
    laughter=[
        r"(?:ha){2,}\w*|(?:he){2,}|(?:ah){3,}",
        r"lol\w*|lmf?ao\w*|rofl|xd+|jk|jking|just (?:kidding|joking)|i'?m joking|haha\w*",
        "😂",
        "🤣",
        "😆",
        "😹",
        "💀",
    ],
    past=[
        r"(?:last|that) (?:year|summer|winter|spring|autumn|fall|month)",
        r"(?:\d+|a|one|two|three|four|five|six|ten|a few|few|several|many) (?:years?|months|decades) ago",
        r"(?:years|months|decades|a long time|ages) ago",
        r"when i was (?:a kid|younger|little|small|a teen|a teenager|in (?:high )?school|in college|at uni|\d+|a child)",
        r"used to",
        r"back (?:then|in (?:the day|high school|school|college|\d+))",
        r"in the past",
        r"as a (?:kid|teen|teenager|child)",
        r"(?:been|i'?m|im|i am|stayed) (?:clean|sober|free) (?:for|since)",
        r"(?:years|months) (?:clean|sober|free)",
        r"anniversary|would(?:'ve| have) been",
        r"(?:died|passed away|passed) (?:of|from|in|after|last|two|three|\d+)",
        r"(?:doctor|doc|nurse|paramedics?|the er|the hospital) (?:said|says|told|checked)",
        r"turned out",
        r"(?:feeling|doing) (?:much |a lot )?better now",
    ],
    recent=[
        r"again|tonight|today|right now|last night|yesterday|just now|currently|still",
        r"this (?:morning|evening|afternoon|week)",
        r"(?:an|one|two) hours? ago|minutes ago",
    ],
    settled=[
        r"(?:i'?m|im|i am) (?:doing )?(?:fine|ok|okay|good|great|better|happy|safe|well) now|(?:doing|feeling) (?:much |a lot |so much )?better now|nothing serious|no big deal|all good|it'?s fine now|(?:therapy|treatment|meds|medication|my therapist) (?:saved|helped) me|(?:glad|grateful) i'?m (?:still )?(?:here|alive)"
    ],
    fiction=[
        r"(?:the|this|that|a|in|my|his|her) (?:novel|novels|book|books|movie|movies|film|films|show|tv show|series|episode|game|video game|story|stories|song|songs|poem|play|anime|manga|comic|fanfic|fic|character|characters|protagonist|hero|heroine|villain|narrator)(?:'?s)?",
        r"novel'?s|book'?s|movie'?s|film'?s|show'?s|game'?s",
        r"news|article|headline|documentary|podcast|reported|according to|statistics",
        r"season finale|chapter|plot twist|spoilers?|cliffhanger",
        r"role ?play|rp|dnd|d&d|campaign|my oc|writing a|i'?m writing|in my story",
        r"what (?:should|do|would|can) (?:i|you|we|one|people) do (?:if|when)|what happens (?:if|when)|how (?:do|can|would) (?:i|you) (?:know|tell|help) (?:if|when)|signs of|symptoms of|in case (?:someone|somebody)|is it normal (?:for|to|that)|first aid for",
    ],
    figurative=[
        r"(?:die|dying|died|dead) (?:of|from|laughing|with) (?:laughter|laughing|embarrassment|shame|cringe|boredom|cuteness|jealousy|envy|excitement|heat|the heat|hunger)",
        r"(?:this|that|the|these|those|your|his|her) (?!life\b|world\b|pain\b|depression\b)\w+(?: \w+)? (?:makes?|made|is making) me (?:want to|wanna)",
        r"kill (?:for|it|them|the|this)|killed it|killing it|killer",
        r"(?:killing|killed|kill) (?:myself|me) (?:laughing|with (?:work|these|this|all|studying)|at the gym|over (?:this|that|it)|to (?:finish|get|make|meet))",
        r"(?:almost|nearly) (?:killed myself|died)",
        r"(?:cut|cutting|cuts) (?:my|his|her|the) (?:own )?(?:hair|bangs|fringe|nails|grass|hedge|losses|carbs|sugar|ties|hours|budget)",
        r"(?:cut|cutting) (?:back|down|out|off|in|class|classes)",
        r"(?:with|on) (?:a|the) (?:pillow|nerf|water gun|snowball|foam)",
        r"kill me (?:if|when) (?:s?he|they|i) (?:sees?|finds? out|hears?|knew|knows|saw|gets? home|don'?t|am late|'?m late|forget|fail)",
        r"(?:mom|mum|mother|dad|father|parents|boss|teacher|coach|sister|grandma|grandpa|landlord|manager|mum's|mom's)(?: \w+){0,2}(?:'ll| will| would| is going to| gonna|'s going to) kill me",
        r"(?:phone|battery|laptop|computer|car|plant|plants|router|console|headphones|tv|printer|wifi|internet|charger)(?: \w+)? (?:died|is dead|is dying|dead|'s dead)",
        r"(?:dead|died|dying) (?:tired|inside lol|serious|set on|last)",
        r"(?:scared|afraid|terrified) of (?:spiders|heights|the dentist|flying|clowns|the exam|the interview|public speaking)",
        r"(?:at|in) the gym|workout|work out|leg day|sore muscles|sore from",
        r"(?:slept|sleeping|sat|sitting|lay|lying|laid) on (?:it|my arm|my hand|my leg)",
        r"pins and needles|fell asleep on (?:my|it)|(?:arm|leg|foot|hand) fell asleep",
        r"(?:chopping|cutting|slicing|peeling) (?:onions|vegetables|veg|bread|an? \w+)|paper cut",
    ],
)
