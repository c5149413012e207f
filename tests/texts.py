"""Small articles the tests load (each long enough to count as an article: 50+ words, 3+ sentences)."""

HARBOUR = (
    "# Harbour news\n\nThe harbour master is Ingrid Olsen, who took office in March.\n\n"
    "Fishing boats leave the harbour at dawn and return by noon.\n\n"
    "The council will repair the northern pier next summer, after storms damaged its wooden deck. "
    "Repairs are expected to cost about two million crowns and to take four months.\n"
)
CLUB = (
    "# Rowing club\n\nThe rowing club is chaired by Ingrid Olsen, the harbour master.\n\n"
    "The club trains on Tuesdays at the old boathouse.\n\n"
    "New members may join at the spring open day, when coaches offer free lessons on the fjord. "
    "The club owns twelve boats, including two racing eights bought from a Danish yard last year.\n"
)
LIGHTHOUSE = (
    "# Lighthouse\n\nThe lighthouse keeper is Mara Quill.\n\nShe lights the lamp every evening at dusk.\n\n"
    "The lighthouse stands on a granite island two miles from the coast, and supply boats visit it once "
    "a week. Its lamp can be seen from twenty nautical miles away on a clear and calm winter night.\n"
)
