"""Makes the integration harness (test/integration/harness) importable; the bench reuses its
httpd.conf, loadbalancer.xml and process helpers rather than keeping its own copies."""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INTEGRATION = REPO / "test" / "integration"
if str(INTEGRATION) not in sys.path:
    sys.path.insert(0, str(INTEGRATION))
