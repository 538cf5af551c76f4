"""The bundled catalogue's purposes, marked for translation (the catalogue itself comes from government
in English; the screens show each purpose through ``_``, and a purpose not listed here stays in English).

Service names are proper names and are shown as government gives them.
"""

from services.vocabulary import N_

PURPOSES = (
    N_("Income tax and National Insurance"),
    N_("Benefits and State Pension"),
    N_("Driving licences and vehicle tax"),
    N_("Passports"),
    N_("Council tax and the electoral register"),
    N_("Your GP practice and NHS records"),
)
