"""treaty-obligations: reporting obligations under the Migrant Workers Convention (ICRMW)."""

TREATY = "ICRMW"
