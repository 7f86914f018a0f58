"""French group lexicon: the forms a template needs, with agreement and elision."""

from __future__ import annotations

from typing import Any

#: Words naming the prejudice, for counter-speech: (adjective, noun, noun gender).
BIGOTRY = {
    "racism": ("raciste", "racisme", "m"),
    "sexism": ("sexiste", "sexisme", "m"),
    "homophobia": ("homophobe", "homophobie", "f"),
    "lesbophobia": ("lesbophobe", "lesbophobie", "f"),
    "biphobia": ("biphobe", "biphobie", "f"),
    "transphobia": ("transphobe", "transphobie", "f"),
    "antisemitism": ("antisémite", "antisémitisme", "m"),
    "islamophobia": ("islamophobe", "haine antimusulmane", "f"),
    "antichristian": ("antichrétien", "haine antichrétienne", "f"),
    "ableism": ("validiste", "validisme", "m"),
    "xenophobia": ("xénophobe", "xénophobie", "f"),
}


def group(
    pl: str,
    sg: str,
    gender: str,
    elide: bool,
    characteristic: str,
    bigotry: str,
    je_suis: str,
    slurs: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """One group: plural and singular nouns, gender, elision (vowel or mute h), slurs."""
    return {
        "pl": pl,
        "sg": sg,
        "gender": gender,
        "elide": elide,
        "characteristic": characteristic,
        "bigotry": bigotry,
        "je_suis": je_suis,
        "slurs": slurs,
    }


#: Protected groups under French law (loi du 29 juillet 1881, code pénal art. 225-1).
GROUPS: dict[str, dict[str, Any]] = {
    "women": group(
        "femmes",
        "femme",
        "f",
        False,
        "sex",
        "sexism",
        "une femme",
        (("salopes", "une salope"), ("pétasses", "une pétasse")),
    ),
    "men": group("hommes", "homme", "m", True, "sex", "sexism", "un homme"),
    "gay_men": group(
        "homosexuels",
        "homosexuel",
        "m",
        True,
        "sexual_orientation",
        "homophobia",
        "homo",
        (("pédés", "un pédé"), ("tapettes", "une tapette"), ("tarlouzes", "une tarlouze")),
    ),
    "lesbians": group(
        "lesbiennes",
        "lesbienne",
        "f",
        False,
        "sexual_orientation",
        "lesbophobia",
        "lesbienne",
        (("gouines", "une gouine"),),
    ),
    "bisexuals": group("bisexuels", "bisexuel", "m", False, "sexual_orientation", "biphobia", "bi"),
    "trans": group(
        "personnes trans",
        "personne trans",
        "f",
        False,
        "gender_identity",
        "transphobia",
        "trans",
        (("travelos", "un travelo"),),
    ),
    "black": group(
        "Noirs",
        "Noir",
        "m",
        False,
        "race",
        "racism",
        "noir",
        (("négros", "un négro"), ("bamboulas", "un bamboula")),
    ),
    "arabs": group(
        "Arabes",
        "Arabe",
        "m",
        True,
        "ethnicity",
        "racism",
        "arabe",
        (("bougnoules", "un bougnoule"), ("bicots", "un bicot")),
    ),
    "north_africans": group("Maghrébins", "Maghrébin", "m", False, "origin", "racism", "maghrébin"),
    "jews": group(
        "Juifs",
        "Juif",
        "m",
        False,
        "religion",
        "antisemitism",
        "juif",
        (("youpins", "un youpin"), ("youtres", "un youtre")),
    ),
    "muslims": group("musulmans", "musulman", "m", False, "religion", "islamophobia", "musulman"),
    "christians": group(
        "chrétiens",
        "chrétien",
        "m",
        False,
        "religion",
        "antichristian",
        "chrétien",
        (("grenouilles de bénitier", "une grenouille de bénitier"),),
    ),
    "immigrants": group(
        "immigrés",
        "immigré",
        "m",
        True,
        "origin",
        "xenophobia",
        "immigré",
        (("clandos", "un clando"),),
    ),
    "refugees": group("réfugiés", "réfugié", "m", False, "origin", "xenophobia", "réfugié"),
    "migrants": group("migrants", "migrant", "m", False, "origin", "xenophobia", "migrant"),
    "roma": group(
        "Roms", "Rom", "m", False, "ethnicity", "racism", "rom", (("romanos", "un romano"),)
    ),
    "asians": group(
        "Asiatiques",
        "Asiatique",
        "m",
        True,
        "ethnicity",
        "racism",
        "asiatique",
        (("bridés", "un bridé"), ("niakoués", "un niakoué")),
    ),
    "chinese": group(
        "Chinois",
        "Chinois",
        "m",
        False,
        "nationality",
        "racism",
        "chinois",
        (("chinetoques", "un chinetoque"),),
    ),
    "algerians": group("Algériens", "Algérien", "m", True, "nationality", "racism", "algérien"),
    "africans": group("Africains", "Africain", "m", True, "origin", "racism", "africain"),
    # "handicapé": aspirated h, no elision (le handicapé, de handicapés).
    "disabled": group(
        "handicapés",
        "handicapé",
        "m",
        False,
        "disability",
        "ableism",
        "handicapé",
        (("gogols", "un gogol"),),
    ),
    "wheelchair": group(
        "personnes en fauteuil roulant",
        "personne en fauteuil roulant",
        "f",
        False,
        "disability",
        "ableism",
        "en fauteuil roulant",
        (("estropiés", "un estropié"),),
    ),
    "deaf": group("sourds", "sourd", "m", False, "disability", "ableism", "sourd"),
    "autistic": group("autistes", "autiste", "m", True, "disability", "ableism", "autiste"),
}

#: Groups the law does not protect: abuse of them is not hate speech.
NONPROTECTED: dict[str, dict[str, Any]] = {
    "politicians": group("politiciens", "politicien", "m", False, "", "", ""),
    "bankers": group("banquiers", "banquier", "m", False, "", "", ""),
    "om_fans": group("supporters de l'OM", "supporter de l'OM", "m", False, "", "", ""),
    "drivers": group("automobilistes", "automobiliste", "m", True, "", "", ""),
    "cyclists": group("cyclistes", "cycliste", "m", False, "", "", ""),
    "hunters": group("chasseurs", "chasseur", "m", False, "", "", ""),
    "landlords": group("propriétaires", "propriétaire", "m", False, "", "", ""),
    "influencers": group("influenceurs", "influenceur", "m", True, "", "", ""),
    "journalists": group("journalistes", "journaliste", "m", False, "", "", ""),
    "tax_inspectors": group("contrôleurs fiscaux", "contrôleur fiscal", "m", False, "", "", ""),
}


def _articles(g: dict[str, Any]) -> dict[str, str]:
    """Plural and singular noun phrases, elided and contracted as French wants."""
    pl, sg, masc, elide = g["pl"], g["sg"], g["gender"] == "m", g["elide"]
    if elide:
        le, du, au = f"l'{sg}", f"de l'{sg}", f"à l'{sg}"
    else:
        le, du, au = (
            (f"le {sg}", f"du {sg}", f"au {sg}")
            if masc
            else (f"la {sg}", f"de la {sg}", f"à la {sg}")
        )
    this = ("cet" if elide else "ce") if masc else "cette"
    return {
        "pl": pl,
        "sg": sg,
        "les": f"les {pl}",
        "des": f"des {pl}",
        "aux": f"aux {pl}",
        "de": f"d'{pl}" if elide else f"de {pl}",
        "le": le,
        "du": du,
        "au": au,
        "un": f"{'un' if masc else 'une'} {sg}",
        "ce": f"{this} {sg}",
        "ils": "ils" if masc else "elles",
        "eux": "eux" if masc else "elles",
    }


def _bigotry(key: str) -> dict[str, str]:
    """``bigot`` (raciste…), ``du_bigotry`` (du racisme, de l'homophobie), ``le_bigotry``."""
    if not key:
        return {}
    adjective, noun, gender = BIGOTRY[key]
    if noun[0] in "aehiou":
        du, le = f"de l'{noun}", f"l'{noun}"
    else:
        du, le = (f"du {noun}", f"le {noun}") if gender == "m" else (f"de la {noun}", f"la {noun}")
    return {"bigot": adjective, "du_bigotry": du, "le_bigotry": le}


def slots(g: dict[str, Any], number: int) -> dict[str, str]:
    """Every slot value for one group; the template's number picks among its slurs."""
    values = {**_articles(g), **_bigotry(g["bigotry"]), "je_suis": g["je_suis"]}
    if g["slurs"]:
        plural, with_article = g["slurs"][number % len(g["slurs"])]
        bare = with_article.split(" ", 1)[1]
        values |= {"slur": plural, "slur_sg": bare, "un_slur": with_article, "insult": bare}
    else:
        values["insult"] = f"sale {g['sg']}"
    return values
