"""The demo providers' Spanish wording of their fixed "what to bring" items and fees.

Every demo service gets a Spanish translation of these (as a provider would enter on the service
form), so the Spanish card and its PDF read in Spanish; names, descriptions and how to apply stay
English, and the public pages mark them as English.
"""

from __future__ import annotations

from app.seeding import demo_profiles as p

BRING_ES = {
    p.BRING_ID: "Una identificación con foto si la tiene (puede venir sin ella)",
    p.BRING_RELEASE: "Sus papeles de salida del centro",
    p.BRING_SSN: "Su tarjeta o número del Seguro Social",
    p.BRING_INCOME: "Prueba de ingresos, como un talón de pago o una carta de beneficios",
    p.BRING_MEDICAID: "Su tarjeta HUSKY (Medicaid) si la tiene",
    p.BRING_MEDS: "Una lista de sus medicinas, o los frascos",
    p.BRING_NOTHING: "Nada — solo venga",
    p.BRING_RESUME: "Un currículum si lo tiene (le ayudamos a escribir uno)",
    p.BRING_DD214: "Sus papeles de baja militar (DD-214)",
    p.BRING_ADDRESS: "Algo con su dirección, como una carta",
    p.BRING_PAPERS: "Papeles o cartas del tribunal sobre su caso",
}
FEES_ES = {"Free": "Gratis", "A share of income": "Una parte de sus ingresos"}


def spanish_wording(bring: tuple[str, ...], fees: str | None) -> dict[str, str | None]:
    """ServiceTranslation fields for a demo service (items without a Spanish line are left out,
    so the list would fall back to English as a whole only when none has one)."""
    lines = [BRING_ES[item] for item in bring if item in BRING_ES]
    return {
        "documents": "\n".join(lines) or None,
        "fees_description": FEES_ES.get(fees or ""),
    }
