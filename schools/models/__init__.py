"""The schools app's tables, one module per subject. The rest of the code imports them from
here (`from schools.models import KinshipPupil`), and Django finds them here.

- authorities: LocalAuthority, VirtualSchool, StaffMembership
- records: School, KinshipPupil, TermlyReview, LiaisonRecord
- advice: AdviceRequest, AdviceMessage
- audit: AuditEntry, AuditPurge
"""

from schools.models.advice import AdviceMessage, AdviceRequest
from schools.models.audit import AuditEntry, AuditPurge
from schools.models.authorities import LocalAuthority, StaffMembership, VirtualSchool
from schools.models.records import KinshipPupil, LiaisonRecord, School, TermlyReview

__all__ = [
    "AdviceMessage",
    "AdviceRequest",
    "AuditEntry",
    "AuditPurge",
    "KinshipPupil",
    "LiaisonRecord",
    "LocalAuthority",
    "School",
    "StaffMembership",
    "TermlyReview",
    "VirtualSchool",
]
