"""Chat shorthand and verlan, spelled out for the word features (``TrainConfig.slang``).

Teenage chats and forums write ``ftg``, ``jvais``, ``tepu``; the other corpora write
``ferme ta gueule``, ``je vais``, ``pute``. A model trained on the latter only sees the
former as unknown tokens. With the knob on, a token found here also gives the words of
its spelling (word n-grams and lexicon hits; character n-grams keep the token as
written), so what the model learnt from one spelling carries to the other.

Keys and words are folded as ``features.fold`` leaves them (lower case, no accents) and
split as its word pattern splits (``t'inquiete`` is ``t inquiete``). Only shorthand that
is not also an ordinary French or English word is listed (no ``ta``, ``sa``, ``vs``).
"""

from __future__ import annotations

_FRENCH = {
    # Abbreviations of insults and of what goes with them
    "tg": "ta gueule",
    "ftg": "ferme ta gueule",
    "fdp": "fils de pute",
    "ntm": "nique ta mere",
    "ntr": "nique ta race",
    "nsm": "nique sa mere",
    "tmr": "ta mere",
    "vtf": "va te faire foutre",
    "vtff": "va te faire foutre",
    "trdc": "trou du cul",
    "tdc": "trou du cul",
    "ptn": "putain",
    "ptin": "putain",
    "osef": "on s en fout",
    "balek": "bat les couilles",
    "blc": "bat les couilles",
    "tamere": "ta mere",
    "tagueule": "ta gueule",
    "vnr": "enerve",
    # Verlan
    "tepu": "pute",
    "lopsa": "salope",
    "zeub": "bite",
    "teub": "bite",
    "teube": "bete",
    "tebe": "bete",
    "meuf": "femme",
    "meufs": "femmes",
    "keuf": "flic",
    "keufs": "flics",
    "reuf": "frere",
    "reum": "mere",
    "reup": "pere",
    "relou": "lourd",
    "chelou": "louche",
    "vener": "enerve",
    "venere": "enerve",
    "cheum": "moche",
    "feuj": "juif",
    "feujs": "juifs",
    "rebeu": "arabe",
    "rebeus": "arabes",
    "renoi": "noir",
    "renois": "noirs",
    "babtou": "blanc",
    "iench": "chien",
    "cimer": "merci",
    "zarbi": "bizarre",
    "ripou": "pourri",
    "teuf": "fete",
    "oim": "moi",
    "ouam": "moi",
    # Chat shorthand
    "jvais": "je vais",
    "jte": "je te",
    "jtm": "je t aime",
    "jme": "je me",
    "jmen": "je m en",
    "jsuis": "je suis",
    "chui": "je suis",
    "chuis": "je suis",
    "jsp": "je sais pas",
    "jpp": "j en peux plus",
    "jpense": "je pense",
    "jcrois": "je crois",
    "jai": "j ai",
    "tkt": "t inquiete",
    "tmtc": "toi meme tu sais",
    "prl": "parle",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "prk": "pourquoi",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "stp": "s il te plait",
    "svp": "s il vous plait",
    "bcp": "beaucoup",
    "tjr": "toujours",
    "tjrs": "toujours",
    "tjs": "toujours",
    "dsl": "desole",
    "slt": "salut",
    "mdr": "mort de rire",
    "ptdr": "mort de rire",
    "qqn": "quelqu un",
    "qqch": "quelque chose",
    "koi": "quoi",
    "pourkoi": "pourquoi",
    "kan": "quand",
    "ki": "qui",
    "ke": "que",
    "tro": "trop",
    "auj": "aujourd hui",
    "mtn": "maintenant",
    "mnt": "maintenant",
    "wsh": "wesh",
    "nn": "non",
    "grv": "grave",
}

_ENGLISH = {
    "stfu": "shut the fuck up",
    "gtfo": "get the fuck out",
    "kys": "kill yourself",
    "wtf": "what the fuck",
    "fu": "fuck you",
    "fk": "fuck",
    "fuk": "fuck",
    "fck": "fuck",
    "fkn": "fucking",
    "fckn": "fucking",
    "phuck": "fuck",
    "mofo": "motherfucker",
    "biatch": "bitch",
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "idc": "i don t care",
    "idk": "i don t know",
    "smh": "shaking my head",
}

#: Folded token -> the words it stands for.
SLANG: dict[str, tuple[str, ...]] = {
    token: tuple(words.split()) for token, words in (_FRENCH | _ENGLISH).items()
}
