"""English concepts (see bot/safety/concepts.py): words and stems for each idea, not
sentences. Written from how these moments are described in general, not from test
messages."""

from bot.safety.concepts import Concepts

_ME = r"my ?self|myself|meself"
_BODY = r"(?:arms?|wrists?|thighs?|legs?|skin|stomach|belly|hips?|hands?|face|head)"
_PILLS = (
    r"(?:pills|tablets|meds|medication|medicine|sleeping (?:pills|tablets)|painkillers|"
    r"paracetamol|tylenol|ibuprofen|aspirin|antidepressants|insulin|benzos|xanax|oxy\w*|"
    r"opioids|capsules)"
)

CONCEPTS = Concepts(
    lang="en",
    cues={
        "end": (
            r"die|dying|dead|death|suicid\w*|kill(?:ing)? (?:" + _ME + r")|kms|"
            r"end (?:it|it all|things|everything|my life|this|my suffering)|ending (?:it|it all|things|my life)|"
            r"take my (?:own )?life|taking my (?:own )?life|not (?:be )?(?:alive|here|around) (?:anymore|any more)|"
            r"stop (?:existing|living|breathing)|not exist|cease to exist|(?:disappear|vanish|be gone)(?: \w+)? (?:forever|for good|permanently)|"
            r"go through with (?:it|this)|bleed out|overdos\w*|hang (?:" + _ME + r")|"
            r"jump (?:off|from|in front)|(?:not|never) wake up|(?:won'?t|will not) wake up|"
            r"look like an accident|(?:painless|quick|easy|quickest|best) (?:way|ways) to (?:go|die|do it)|"
            r"(?:take|taking|swallow\w*) (?:them all|all of them|the whole (?:box|pack|bottle))|all at once|"
            r"(?:it all|everything|all of it|all this) to stop|permanently|the end for me|no more me|"
            r"swallow\w* (?:everything|it all|the lot|all of (?:it|them))|everything in the (?:medicine )?(?:cabinet|cupboard)|"
            r"(?:be|is|it'?s|all) over (?:for good|forever)|lethal dose|"
            r"how (?:many|much) (?:\w+ ){0,4}(?:would it take|it would take|does it take|it takes|would kill)|"
            r"(?:for|in case|when) (?:when )?i'?m (?:not here|not around|gone|no longer here)|"
            r"(?:no|not a|isn'?t a|there'?s no)(?: \w+){0,3} future (?:where|with|for|that has) (?:me|i'?m|i)|"
            r"(?:won'?t|will not) (?:be in|see|make it to) (?:the future|next year|my birthday|christmas)"
        ),
        "means": (
            r"pills|tablets|meds|sleeping (?:pills|tablets)|painkillers|paracetamol|tylenol|insulin|medicine cabinet|"
            r"razors?|blades?|knife|knives|scissors|bridge|roof|rooftop|ledge|cliff|train tracks|tracks"
        ),
        "lethal": r"rope|noose|gun|pistol|rifle|shotgun|bleach|poison|antifreeze|rat poison|charcoal",
        "method": (
            r"(?:garage|car) with the (?:engine|car|motor) running|(?:engine|car) running in the garage|"
            r"noose|(?:tied|tying|tie) (?:a|the) (?:rope|noose|belt)|(?:gun|barrel|pistol) (?:to|against|in) my (?:head|mouth|temple)|"
            r"(?:wrote|written|writing|left|finished) (?:a |my |the )?suicide note|loaded (?:the |my |his |a )?(?:gun|pistol|rifle)|(?:blade|knife|razor) (?:to|against|on) my (?:wrist|throat|neck)"
        ),
        "hoard": (
            r"(?:saving|saved|save|stockpil\w*|hoard\w*|collect\w*|stash\w*|counting|count|hiding|hidden|hid|"
            r"putting aside|put aside|setting aside|set aside|keeping|kept|gathering|gathered|building up)"
            r"(?: \w+){0,3} (?:"
            + _PILLS
            + r")(?: up)?|(?:pile|stash|stock|supply|collection|hoard|bunch) of (?:"
            + _PILLS
            + r")|"
            r"(?:saving|saved|stockpiling|hoarding) them(?: up)?|quite a pile|enough (?:pills|tablets|meds) to"
        ),
        "farewell": (
            r"(?:goodbye|good bye|bye|farewell)(?: \w+)? (?:everyone|everybody|all|forever|for good|world|guys|y'?all)|"
            r"(?:said|saying|say|said my|say my) (?:goodbye|good bye|bye|goodbyes)|"
            r"(?:wrote|written|writing|write|left|leave|leaving)(?: \w+){0,2} (?:letters?|notes?|messages?) (?:to|for)|"
            r"(?:writing|wrote|write|made|making|updated|updating|finished|finishing) (?:my|a) (?:will|testament)|"
            r"(?:look after|take care of|feed|keep) my (?:cat|dog|kids|pets?|plants|rabbit|bird|fish) (?:for me|when|after)|"
            r"sorry for everything|forgive me|thank(?:s| you) for everything|nice knowing (?:you|ya)|"
            r"(?:won'?t|will not) (?:be able to|need (?:it|them|my \w+))(?: \w+)? (?:anymore|any more|after)|"
            r"(?:you were|you'?ve been|you have been) (?:always )?(?:good|kind|so good|so kind) to me|i love you all|"
            r"(?:written|wrote|left|writing|finished) (?:the|my|a few|some|all the) (?:notes|letters)|"
            r"what (?:to do|they should do|i want done) with my (?:things|stuff|body|cat|dog)|"
            r"(?:gave|given|giving) (?:away )?my \w+ (?:to|away)"
        ),
        "giving": (
            r"giv(?:ing|e|en)(?: \w+)? away (?:all )?(?:my|of my) (?:things|stuff|belongings|possessions|clothes|books|everything)|"
            r"giving (?:all )?my (?:things|stuff|belongings|possessions) away|"
            r"(?:sorting|sorted|tidying|putting) (?:out )?(?:all )?my (?:affairs|things|stuff) (?:in order)?"
        ),
        "burden": (
            r"without me (?:around|here|in the way)|burden|dead weight|waste of space|one less (?:problem|mouth|thing|worry|person)|"
            r"(?:nobody|no one|noone) (?:will|would|'?d|'?ll) (?:have to|need to|even|ever) (?:deal with|worry about|miss|notice|care|clean up)|"
            r"(?:get|got|be) over (?:it|me)(?: soon| quickly| eventually)?|rest if i|"
            r"if i (?:wasn'?t|weren'?t|was not|were not|wasnt) (?:around|here|alive|there)|if i (?:was|were) (?:gone|dead|not here)|"
            r"(?:when|after|once) i'?m (?:gone|dead|not here)|less of a (?:problem|burden)|i ruin everything"
        ),
        "without": (
            r"(?:better|beter|happier|easier|fine|relieved|lighter|freer|safer)(?: off)? without me|"
            r"without me (?:they|everyone|everybody|the world|my family|my kids|you all) (?:would|'?d|will|'?ll)"
        ),
        "place": (
            r"(?:on|at|off) (?:the|a|this) (?:bridge|roof|rooftop|ledge|edge|tracks|railing|cliff|overpass|platform edge)|"
            r"(?:top|edge) of (?:the|a|this) (?:bridge|building|cliff|car park|parking garage)"
        ),
        "harm": (
            r"cut(?:s|ting)? (?:"
            + _ME
            + r"|my "
            + _BODY
            + r"|into my)|(?:fresh|new|deep|open) (?:cuts|cut|wounds?|gashes)|"
            r"self ?harm\w*|sh|(?:burn\w*|hurt\w*|harm\w*|punish\w*|scratch\w*|hit\w*|bang\w*|starv\w*|bruis\w*|carv\w*|stab\w*) (?:"
            + _ME
            + r"|my "
            + _BODY
            + r")|"
            r"scratch\w*(?: my)? (?:skin|arms?) (?:raw|until|till|open)|(?:hitting|banging|slamming) my head|"
            r"to feel (?:anything|something|pain|real|alive)|need (?:the|to feel) pain|relaps\w*|"
            r"(?:took|take|got|get|grabbed) (?:the|my|a) (?:blade|razor|knife|lighter) (?:out|again)|(?:blade|razor) again|"
            r"carv\w*(?: \w+){0,3} into my " + _BODY
        ),
        "blood": r"blood\w*|bleed\w*|bled|stitches",
        "habit": (
            r"again|(?:can'?t|cannot|cant) stop(?: doing it)?|where (?:nobody|no one) (?:looks|sees|can see)|"
            r"(?:nobody|no one) knows|it helps|helps me|only thing that (?:helps|works)|every (?:day|night)"
        ),
        "want": (
            r"want(?:ed)? to|wish(?:ed)?(?: i)?|would rather|i'?d rather|going to|about to|plan(?:ning|ned)? to|"
            r"plan|ready to|tempted|urge|need to|thinking (?:about|of)|think about|keep thinking|i'?ll|i will|"
            r"might just|should just|let me"
        ),
        "seek": (
            r"googl\w*|looked up|looking up|search\w*|research\w*|"
            r"how long (?:does it take|it takes|would it take)|(?:best|quickest|easiest|painless|surest) (?:way|ways|method|methods)|asking for me|for me i mean"
        ),
        "when": (
            r"tonight|tomorrow|this (?:weekend|week|time|evening|morning)|after tonight|"
            r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|right now|soon|finally|now|today"
        ),
        "decided": (
            r"(?:i'?ve|ive|i have|i|finally) (?:decided|made up my mind|made my decision|made my peace)|"
            r"it'?s decided|decision is made|(?:not|no|i'?m not) joking|(?:for real|fr|seriously) this time|"
            r"i mean it|i'?m serious|i am serious|everything (?:is )?ready|i have everything|it'?s all (?:planned|set)|"
            r"everything'?s (?:sorted|ready|arranged|taken care of|in order)|(?:sorted|arranged|prepared|planned) everything|(?:affairs|things) (?:are )?in order"
        ),
        "hopeless": (
            r"(?:can'?t|cant|cannot) (?:do this|go on|keep (?:going|living|doing this|on)|take (?:it|this|any more)|handle (?:it|this)|"
            r"live like this|cope|bear it|anymore)|no (?:point|reason|future|way out|hope)|pointless|"
            r"(?:tired|sick|exhausted|weary) of (?:being here|being alive|living|life|existing|everything|being me|it all)|"
            r"disappointed (?:i|that i) woke up|i'?m (?:so )?done|i'?m finished|nothing left|(?:give|giving|gave) up|"
            r"what'?s the point|rather not exist|not worth it|hopeless|no strength|can'?t anymore|anymroe|"
            r"(?:no|not a|isn'?t a) (?:\w+ ){0,2}future (?:where|with|for) (?:me|i)"
        ),
        "ominous": (
            r"you know (?:why|what for|what i mean)|(?:don'?t|dont|do not) (?:think i )?need to explain|"
            r"(?:wanted|want|needed|need) (?:one person|someone|somebody|you|a person) to know|before i go|"
            r"one last|they (?:don'?t|dont) know (?:it )?yet|in my own way|this is (?:it|the end)|"
            r"(?:won'?t|will not) be (?:here|around)|after (?:tonight|this weekend|today)|"
            r"(?:my|the) (?:mess|stuff) (?:after|when)|feels (?:tidy|right|peaceful|calm)|easier this way|it'?s (?:easier|better) this way|"
            r"(?:not going to|won'?t|don'?t|dont|please don'?t|pls dont|do not) tell (?:anyone|anybody|my \w+)|"
            r"(?:idk|i don'?t know|dunno) why i'?m telling (?:you|u) this|"
            r"(?:almost|nearly) (?:did it|went through with it|jumped|stepped (?:off|out|in front))"
        ),
        "violence": (
            r"(?:hit|hits|hitting|beat|beats|beating|beaten|punch\w*|kick\w*|slap\w*|chok\w*|strangl\w*|shov\w*|smack\w*|"
            r"stabb\w*|attack\w*|grab\w*|dragg?\w*|threw \w+ at|throws \w+ at|push\w*|rap\w*|touch\w*) "
            r"(?:me|us|my (?:mom|mum|mother|little \w+|sister|brother|kids?|baby|son|daughter))|"
            r"(?:beats|hits|hurts|rapes|touches) me"
        ),
        "threat": (
            r"(?:kill|hurt|find|get|murder|shoot|stab|end) (?:me|us)|i'?ll regret|(?:knows|found out|find out) where i (?:live|am)|"
            r"(?:has|have|got|with|holding|waving) (?:a|his|her|the) (?:gun|knife|weapon|bat)|if i (?:tell|leave|call)|"
            r"threat\w*|threaten\w*|i'?m dead"
        ),
        "confine": (
            r"(?:won'?t|doesn'?t|does not|will not|wont) let me (?:leave|go|out|call|use)|locked me (?:in|up|out)|"
            r"(?:took|takes|taken|has|hid|hides|keeps) my (?:phone|keys|passport|money|car keys)|lock(?:s|ed)? (?:me|the door)|"
            r"trapped|hiding (?:in|from)|(?:standing|waiting|sitting|parked|banging) (?:outside|at) (?:my|the) (?:door|house|building|flat|window|apartment)|"
            r"following me|followed me|comes into my (?:room|bed)|came into my (?:room|bed)|touches me at night"
        ),
        "perpetrator": (
            r"my (?:husband|wife|boyfriend|bf|girlfriend|gf|partner|ex|dad|father|stepdad|stepfather|step dad|mom|mum|"
            r"uncle|brother|roommate|flatmate|landlord|neighbou?r|coach)|he|she|he'?s|someone'?s|someone|somebody|a man|a guy"
        ),
        "fear": (
            r"scared|afraid|terrified|frightened|please help|help me|what do i do|what should i do|what can i do|"
            r"i'?m hiding|hurry|emergency|don'?t know who to tell"
        ),
        "collapse": r"collaps\w*|passed out|fainted|(?:fell|falls) (?:down|over) and|keeled over|on the floor and",
        "unresponsive": (
            r"(?:isn'?t|is not|not|won'?t|wont|can'?t|cannot|doesn'?t|does not) (?:responding|respond|waking up|wake up|wake|move|moving|answer\w*)|"
            r"unresponsive|unconscious|limp"
        ),
        "breath": (
            r"(?:can'?t|cannot|cant|isn'?t|is not|not|struggling to|hard to|stopped|barely) breath\w*|"
            r"turning (?:blue|purple|grey|gray)|(?:lips|face) (?:are |is )?(?:blue|purple|grey)|gasping|choking on"
        ),
        "numbside": (
            r"(?:can'?t|cannot|cant) (?:feel|move) (?:the |my |his |her )?(?:right|left|one) (?:side|half|arm|leg)|"
            r"(?:face|mouth|smile) (?:is |was )?(?:drooping|droopy|crooked|lopsided|sagging)|one side of (?:my|his|her) (?:body|face)|"
            r"(?:arm|leg) (?:won'?t|doesn'?t|can'?t) (?:lift|move|work)|(?:can'?t|cannot) (?:lift|raise|move) (?:my|his|her) (?:arm|leg)|"
            r"(?:half|side) of (?:my|his|her) (?:body|face) (?:is |went |feels )?(?:numb|dead|weak)"
        ),
        "speech": (
            r"slurr\w*|words (?:are |keep )?(?:coming out|come out) (?:wrong|weird|jumbled)|(?:can'?t|cannot) (?:speak|talk|get words out) (?:properly|right|clearly)|"
            r"(?:talking|speaking|speech|words) (?:is |are )?(?:all |really |very |so )?(?:weird|strange|garbled|gibberish|funny|jumbled|mixed up)|makes no sense when (?:he|she|i) talk"
        ),
        "seizure": r"seiz\w*|convuls\w*|fitting|having a fit|shaking uncontrollably",
        "anaphylaxis": (
            r"throat (?:is |feels )?(?:closing|swelling|tight)|(?:lips|tongue|face) (?:are |is )?(?:swelling|swollen)|anaphyla\w*|epi ?pen"
        ),
        "chest": (
            r"(?:chest|heart) (?:pain|pressure|tightness|hurts)|pain in (?:my|his|her) chest|crushing|elephant on my chest|(?:tight|heavy) chest"
        ),
        "sweat": r"sweat\w*|clammy|cold sweat",
        "radiate": r"(?:left |right )?arm (?:is |went |going |feels )?(?:numb|tingling|heavy|weak)|jaw|spreading|radiat\w*|shoulder",
        "ingest": (
            r"swallowed (?:something|a|the|some|pills|bleach)|took (?:something|some pills|a bunch|pills|too many)|"
            r"ate (?:something|pills|some pills)|drank (?:bleach|something)"
        ),
        "cause": (
            r"stung|sting|allerg\w*|(?:for|about) (?:\d+|half an hour|an hour|twenty|ten) (?:min\w*|hours?)|"
            r"(?:half an hour|an hour|\d+ min\w*) now|like this for"
        ),
    },
    me=r"i|i'?m|im|me|my|myself|mine|i'?ve|ive|i'?ll|i'?d",
    other=(
        r"he|she|they|he'?s|she'?s|they'?re|his|her|him|someone|somebody|a (?:man|woman|guy|girl|boy|teen|student|person|kid)|"
        r"the (?:character|hero|heroine|villain|protagonist|narrator|man|woman|guy)|people|farmers|teens|students"
    ),
    past=(
        r"(?:i|we) survived|survivors?|looking back|these days i'?m|proud of (?:myself|that|how)",
    ),
    fiction=(r"season \d+|the writing|the plot|a thriller|writing a",),
    figurative=(
        r"(?:die|dying|dead) if (?:i|you|we) (?:don'?t|can'?t|miss|have to|lose)",
        r"end (?:it|things) with (?:him|her|them|my \w+)|break(?:ing)? up",
        r"(?:phone|battery|laptop|car|plant)(?: \w+)? (?:is )?dying(?: and so am i)?",
        r"(?:the )?(?:end|death) of me",
        r"hang (?:the|a|some|my) (?:pictures?|photos?|painting|shelf|shelves|curtains|washing|laundry|clothes|out)",
        r"kill (?:the|a|that|this) (?:process|task|job|server|app|bug|lights?|engine)",
        r"(?:literally|i'?m) dead|dead tired|dead serious",
        r"(?:died|die|dies|dying) (?:\w+ )?(?:times?|again)? ?(?:on|in|at) (?:the|this|that) (?:same )?(?:boss|level|game|raid|round)",
        r"shoot me (?:a|an) (?:message|text|email|dm)",
    ),
)
