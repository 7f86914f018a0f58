"""English group lexicon: plural and singular nouns, articles, slurs."""

from __future__ import annotations

from typing import Any

#: Words naming the prejudice, for counter-speech: (adjective, noun).
BIGOTRY = {
    "racism": ("racist", "racism"),
    "sexism": ("sexist", "sexism"),
    "homophobia": ("homophobic", "homophobia"),
    "biphobia": ("biphobic", "biphobia"),
    "transphobia": ("transphobic", "transphobia"),
    "antisemitism": ("antisemitic", "antisemitism"),
    "islamophobia": ("anti-Muslim", "anti-Muslim hatred"),
    "antichristian": ("anti-Christian", "anti-Christian hatred"),
    "ableism": ("ableist", "ableism"),
    "xenophobia": ("xenophobic", "xenophobia"),
}


def group(
    pl: str, sg: str, i_am: str, bigotry: str, slurs: tuple[tuple[str, str], ...] = ()
) -> dict[str, Any]:
    """One group: plural and singular nouns, "I am …" form, prejudice, (plural, singular) slurs."""
    return {"pl": pl, "sg": sg, "i_am": i_am, "bigotry": bigotry, "slurs": slurs, "gender": "m"}


#: The same protected characteristics as the French suite.
GROUPS: dict[str, dict[str, Any]] = {
    "women": group(
        "women", "woman", "a woman", "sexism", (("bitches", "bitch"), ("sluts", "slut"))
    ),
    "men": group("men", "man", "a man", "sexism"),
    "gay_men": group(
        "gay men", "gay man", "gay", "homophobia", (("faggots", "faggot"), ("fags", "fag"))
    ),
    "lesbians": group("lesbians", "lesbian", "a lesbian", "homophobia", (("dykes", "dyke"),)),
    "bisexuals": group("bisexual people", "bisexual person", "bisexual", "biphobia"),
    "trans": group(
        "trans people", "trans person", "trans", "transphobia", (("trannies", "tranny"),)
    ),
    "black": group("Black people", "Black person", "Black", "racism", (("niggers", "nigger"),)),
    "arabs": group("Arabs", "Arab", "Arab", "racism", (("towelheads", "towelhead"),)),
    "jews": group("Jews", "Jew", "Jewish", "antisemitism", (("kikes", "kike"),)),
    "muslims": group("Muslims", "Muslim", "Muslim", "islamophobia", (("ragheads", "raghead"),)),
    "christians": group(
        "Christians",
        "Christian",
        "Christian",
        "antichristian",
        (("Bible-bashers", "Bible-basher"),),
    ),
    "immigrants": group("immigrants", "immigrant", "an immigrant", "xenophobia"),
    "refugees": group("refugees", "refugee", "a refugee", "xenophobia"),
    "roma": group("Roma people", "Roma person", "Roma", "racism", (("gyppos", "gyppo"),)),
    "asians": group("Asians", "Asian", "Asian", "racism", (("chinks", "chink"),)),
    "mexicans": group("Mexicans", "Mexican", "Mexican", "racism", (("wetbacks", "wetback"),)),
    "disabled": group(
        "disabled people",
        "disabled person",
        "disabled",
        "ableism",
        (("retards", "retard"), ("spastics", "spastic")),
    ),
    "wheelchair": group("wheelchair users", "wheelchair user", "a wheelchair user", "ableism"),
    "deaf": group("deaf people", "deaf person", "deaf", "ableism"),
    "autistic": group("autistic people", "autistic person", "autistic", "ableism"),
}

#: Groups the law does not protect.
NONPROTECTED: dict[str, dict[str, Any]] = {
    "politicians": group("politicians", "politician", "", ""),
    "bankers": group("bankers", "banker", "", ""),
    "chelsea_fans": group("Chelsea fans", "Chelsea fan", "", ""),
    "drivers": group("drivers", "driver", "", ""),
    "cyclists": group("cyclists", "cyclist", "", ""),
    "landlords": group("landlords", "landlord", "", ""),
    "influencers": group("influencers", "influencer", "", ""),
    "lawyers": group("lawyers", "lawyer", "", ""),
}


def _a(noun: str) -> str:
    """The noun with its indefinite article."""
    return f"{'an' if noun[0].lower() in 'aeiou' else 'a'} {noun}"


def slots(g: dict[str, Any], number: int) -> dict[str, str]:
    """Every slot value for one group; the template's number picks among its slurs."""
    values = {"pl": g["pl"], "sg": g["sg"], "a": _a(g["sg"]), "i_am": g["i_am"]}
    if g["bigotry"]:
        values["bigot"], values["bigotry"] = BIGOTRY[g["bigotry"]]
    if g["slurs"]:
        plural, singular = g["slurs"][number % len(g["slurs"])]
        values |= {"slur": plural, "slur_sg": singular, "a_slur": _a(singular), "insult": singular}
    else:
        values["insult"] = f"dirty {g['sg']}"
    return values
