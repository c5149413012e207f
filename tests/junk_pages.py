"""Pages that are not the article (walls, geo-blocks, rate-limit and challenge pages) and real-article controls,
as HTML: shared by the engine's and the bot's tests. Each junk page has the words and sentences of an article
(ARTICLE_MIN_WORDS / ARTICLE_MIN_SENTENCES) and passed the checks before page_checks.py."""

from __future__ import annotations

import html

from embeddings.text import default_article_path


def page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{html.escape(title)}</title></head><body><main><article>{body}</article></main>"
            "</body></html>")


HARBOUR = [  # a 10-paragraph article
    "The harbour master Ingrid Olsen said on Monday that the ferry to Vestvik will leave at seven every morning "
    "from the north quay, starting next month.",
    "The change follows complaints from commuters, who said the old timetable made them late for work in the town.",
    "Fishing boats return by noon with the night's catch, and the fish market opens an hour later on the quay.",
    "The council will repair the northern pier next summer, after storms damaged its wooden deck this winter.",
    "Repairs are expected to cost about two million crowns and to take four months to finish.",
    "During the works, the ferry will use a temporary landing stage on the south side of the harbour.",
    "Olsen said the temporary stage can take cars but not lorries, which will have to use the coast road.",
    "Local shops fear that fewer visitors will come to the harbour while the pier is closed.",
    "The council has promised to advertise the new timetable in the local paper and on posters at the quay.",
    "A public meeting about the repairs will be held in the town hall on the first Thursday of next month.",
]
ARTICLE = page("Ferry to leave earlier from the north quay", *HARBOUR)

WALL = page(
    "Ferry to leave earlier from the north quay",
    HARBOUR[0] + " " + HARBOUR[1],
    "This article is reserved for subscribers. Subscribe now to continue reading and get unlimited access to all "
    "of our local journalism for one crown a week. Already a subscriber? Log in.",
)
GEO_BLOCK = page(
    "Harbour Gazette",
    "We're sorry. This content is not available in your country. Due to licensing restrictions, the Harbour "
    "Gazette cannot show its reporting to readers in your region at this time.",
    "Our team is working to make our journalism available in more places, and we hope to welcome you soon. If you "
    "believe you are seeing this message in error, please contact our support desk with the reference shown below. "
    "Reference number 48213.",
)
TOO_MANY_REQUESTS = page(
    "429 Too Many Requests",
    "Too Many Requests. We have received a large number of requests from your network in a short time, so access "
    "to this site has been paused for a while.",
    "This helps us keep the service fast and reliable for all of our readers around the world. Please wait a few "
    "minutes before you reload the page, and avoid opening many pages at once. If you use automated tools, please "
    "respect the limits described in our terms of service.",
)
CHALLENGE = page(
    "Just a moment...",
    "Checking if the site connection is secure. The Harbour Gazette needs to review the security of your "
    "connection before proceeding.",
    "This process is automatic and your browser will redirect to the requested content shortly. Please allow up "
    "to five seconds while we check that your visit is safe for our servers and for our other readers. Ray ID: "
    "7d2f9a41. Performance and security by Cloudflare.",
)
JUNK = {"wall": WALL, "geo-block": GEO_BLOCK, "too many requests": TOO_MANY_REQUESTS, "challenge": CHALLENGE}

BAKERY = page(
    "Bakery on Quay Street closes after forty years",
    "The Olsen family bakery on Quay Street will close at the end of the month after forty years, its owner "
    "Marit Olsen said on Tuesday.",
    "Olsen, who is 71, said she had not found anyone to take over the business and that her children had moved "
    "to the city.",
    "The bakery is best known for its cardamom buns and the oat cookies that fishermen have bought before "
    "dawn for decades.",
    "Regulars queued outside on Tuesday morning, and several said they would miss the smell of bread on the "
    "street more than anything.",
    "The council said it hoped another baker would rent the building, and that it would subscribe the shop to "
    "its small-business support scheme for a year.",
    "Residents can subscribe to the council's text alerts to hear when the building is offered for rent.",
    "Olsen will hold a farewell sale on the last Saturday of the month, with the remaining cookies given away "
    "for free.",
)
SEED = page("Azov", *[p for p in default_article_path().read_text(encoding="utf-8").split("\n\n")
                      if p.strip() and not p.startswith("#")])
CONTROLS = {"seed article": SEED, "bakery article": BAKERY}
