import { parseAbi } from "viem";

// The TypeScript mirror of the L1 contracts' external interface, for viem's typed calls.
// test/contracts/abi.test.ts checks every item here against the compiled artifacts.

const bridgeErrors = [
  "error UnknownToken(uint32 tokenId)",
  "error TokenAlreadyRegistered(address token, uint32 tokenId)",
  "error TokenNotContract(address token)",
  "error IncorrectEthValue(uint256 sent, uint256 expected)",
  "error PublicKeyNotOnCurve(uint256 ax, uint256 ay)",
  "error LockedAmountExceedsCap(uint32 tokenId, uint256 locked, uint256 amount)",
  "error TransferAmountMismatch(address token, uint256 expected, uint256 received)",
  "error BatchNotFinal(uint256 batchIndex)",
  "error WithdrawalAlreadyClaimed(uint256 batchIndex, uint256 position)",
  "error InvalidWithdrawalProof(uint256 batchIndex, uint256 position)",
  "error PositionOutOfRange(uint256 position)",
  "error WithdrawalAmountOutOfRange(uint256 amount)",
  "error EthTransferFailed(address recipient, uint256 amount)",
] as const;

const rollupErrors = [
  "error PayloadLengthNotMultiple(uint256 length, uint256 recordSize)",
  "error QueueEndBeyondQueue(uint64 queueEnd, uint256 queueLength)",
  "error QueueEndBeforeQueueStart(uint64 queueEnd, uint64 queueStart)",
  "error TooManyBatchOps(uint256 ops, uint256 max)",
  "error QueueEntryOverdue(uint256 index, uint64 deadline)",
  "error InsufficientBond(address proposer, uint256 bond, uint256 required)",
  "error BondLocked(address proposer, uint256 batchIndex)",
  "error BatchNotFound(uint256 index, uint256 batchCount)",
  "error ChallengeWindowOpen(uint256 index, uint256 finalizableAt)",
  "error EthTransferFailed(address recipient, uint256 amount)",
  "error BatchAlreadyFinalized(uint256 index, uint256 finalizedCount)",
  "error BatchContested(uint256 index, uint256 contestedIndex)",
] as const;

/** ABI of the Bridge: custody, the L1 queue, withdrawal claims. */
export const bridgeAbi = parseAbi([
  "function rollup() view returns (address)",
  "function inclusionWindow() view returns (uint64)",
  "function tokenCount() view returns (uint32)",
  "function tokenAddress(uint32 tokenId) view returns (address)",
  "function totalLocked(uint32 tokenId) view returns (uint256)",
  "function registerToken(address token) returns (uint32 tokenId)",
  "function tokenIdOf(address token) view returns (bool registered, uint32 tokenId)",
  "function createAccount(uint32 tokenId, uint128 amount, uint256 ax, uint256 ay) payable",
  "function deposit(uint32 accountIdx, uint32 tokenId, uint128 amount) payable",
  "function forcedExit(uint32 accountIdx)",
  "function queueLength() view returns (uint256)",
  "function queueHash(uint256 index) view returns (uint256)",
  "function queueDeadline(uint256 index) view returns (uint64)",
  "function claimWithdrawal(uint256 batchIndex, uint256 position, address recipient, uint32 tokenId, uint256 amount, uint256[7][5] proof)",
  "function isClaimed(uint256 batchIndex, uint256 position) view returns (bool)",
  "event TokenRegistered(uint32 indexed tokenId, address indexed token)",
  "event QueueEntryAdded(uint256 indexed index, uint8 kind, address indexed l1Address, uint32 tokenId, uint32 accountIdx, uint128 amount, uint256 ax, uint256 ay, uint256 queueHash, uint64 deadline)",
  "event WithdrawalClaimed(uint256 indexed batchIndex, uint256 indexed position, address indexed recipient, uint32 tokenId, uint256 amount)",
  ...bridgeErrors,
]);

/** ABI of the Rollup: batches, bonds, the challenge window, finality. */
export const rollupAbi = parseAbi([
  "struct BatchSubmission { uint64 queueEnd; uint256 postStateRoot; uint256 withdrawalsRoot; bytes32 stepsRoot; address feeRecipient; uint32[4] feeTokens; }",
  "function bridge() view returns (address)",
  "function levels() view returns (uint256)",
  "function l2ChainId() view returns (uint64)",
  "function challengeWindow() view returns (uint64)",
  "function minBond() view returns (uint256)",
  "function genesisStateRoot() view returns (uint256)",
  "function domain() view returns (uint256)",
  "function batchCount() view returns (uint256)",
  "function lastQueueEnd() view returns (uint64)",
  "function lastStateRoot() view returns (uint256)",
  "function isFinal(uint256 index) view returns (bool)",
  "function finalizableAt(uint256 index) view returns (uint256)",
  "function withdrawalsRootOf(uint256 index) view returns (uint256)",
  "function bonds(address proposer) view returns (uint256)",
  "function depositBond() payable",
  "function withdrawBond(uint256 amount)",
  "function submitBatch(BatchSubmission s, bytes payload) returns (bytes32 commitment)",
  "function finalizeUpTo(uint256 index)",
  "function grantRole(bytes32 role, address account)",
  "function PROPOSER_ROLE() view returns (bytes32)",
  "event BatchSubmitted(uint256 indexed index, bytes32 indexed commitment, address indexed proposer, uint256 preStateRoot, uint256 postStateRoot, uint256 withdrawalsRoot, bytes32 stepsRoot, bytes32 dataHash, uint64 queueStart, uint64 queueEnd, address feeRecipient, uint32[4] feeTokens)",
  "function batches(uint256 index) view returns (bytes32 commitment, uint256 postStateRoot, uint256 withdrawalsRoot, address proposer, uint48 submittedAt, uint48 queueEnd)",
  "function lastCommitment() view returns (bytes32)",
  "function disputeGame() view returns (address)",
  "function firstContested() view returns (uint256 index)",
  "event BatchFinalized(uint256 indexed index)",
  "event BatchesInvalidated(uint256 indexed fromIndex, uint256 count)",
  "event BondSlashed(address indexed proposer, address indexed to, uint256 amount, uint256 bond)",
  "event BondDeposited(address indexed proposer, uint256 amount, uint256 bond)",
  ...rollupErrors,
  // Blob batches (EIP-4844 data availability, docs/protocol.md §9).
  "function DA_BLOBS() view returns (uint8)",
  "function submitBlobBatch(BatchSubmission s, uint256 payloadLength, uint256 blobCount) returns (bytes32 commitment)",
  "event BatchDataPosted(uint256 indexed index, uint8 daKind, uint256 payloadLength, bytes32[] blobHashes)",
  "error BlobCountMismatch(uint256 blobCount, uint256 expected)",
  "error BlobMissing(uint256 index)",
  "error UnexpectedBlob(uint256 index)",
]);

const machineStateStruct = "struct MachineState { uint256 accountsRoot; uint256 nextAccountIndex; uint256 withdrawalsRoot; uint256[4] feeTotals; }";

const batchHeaderStruct =
  "struct BatchHeader { uint256 index; bytes32 parentCommitment; bytes32 dataHash; uint64 queueStart; uint64 queueEnd; uint256 queueHashEnd; uint256 preStateRoot; uint256 postStateRoot; uint256 withdrawalsRoot; bytes32 stepsRoot; uint256 stepCount; address feeRecipient; uint32[4] feeTokens; }";

/** ABI of the DisputeGame: bisection games over a batch's step hashes (contracts/dispute/IDisputeGame.sol). */
export const disputeGameAbi = parseAbi([
  machineStateStruct,
  batchHeaderStruct,
  "struct StateReveal { MachineState state; bytes32[] proof; }",
  "struct LeafReveal { bytes32 leaf; bytes32[] proof; }",
  "struct Game { address challenger; uint64 lastMoveAt; uint8 status; address defender; uint48 defenderClock; uint48 challengerClock; bytes32 commitment; bytes32 stepsRoot; uint64 batchIndex; uint32 stepCount; uint32 lo; uint32 hi; bytes32 loLeaf; bytes32 hiLeaf; bytes32 midLeaf; }",
  "function rollup() view returns (address)",
  "function prover() view returns (address)",
  "function challengeBond() view returns (uint256)",
  "function clockBudget() view returns (uint256)",
  "function emptyWithdrawalsRoot() view returns (uint256)",
  "function gameCount() view returns (uint256)",
  "function game(uint256 gameId) view returns (Game)",
  "function clocks(uint256 gameId) view returns (uint256 defender, uint256 challenger)",
  "function credits(address account) view returns (uint256)",
  "function challenge(uint256 batchIndex, BatchHeader header) payable returns (uint256 gameId)",
  "function open(uint256 gameId, BatchHeader header, StateReveal first, StateReveal last, LeafReveal mid)",
  "function revealMidpoint(uint256 gameId, LeafReveal mid)",
  "function answer(uint256 gameId, bool agree)",
  "function proveStep(uint256 gameId, BatchHeader header, bytes payload, MachineState pre, bytes proof)",
  "function timeout(uint256 gameId)",
  "function dismiss(uint256 gameId)",
  "function claimCredit()",
  "event GameStarted(uint256 indexed gameId, uint256 indexed batchIndex, address indexed challenger, address defender, uint256 stepCount)",
  "event LeavesRevealed(uint256 indexed gameId, bytes32 firstLeaf, bytes32 lastLeaf)",
  "event MidpointRevealed(uint256 indexed gameId, uint256 index, bytes32 leaf)",
  "event Bisected(uint256 indexed gameId, bool agreed, uint256 lo, uint256 hi)",
  "event StepProven(uint256 indexed gameId, uint256 step, bytes32 postStepHash, bytes32 claimed)",
  "event GameResolved(uint256 indexed gameId, address indexed winner, uint8 reason, uint256 payout)",
  "event CreditClaimed(address indexed account, uint256 amount)",
  "error BatchNotFound(uint256 index, uint256 batchCount)",
  "error IncorrectEthValue(uint256 sent, uint256 expected)",
  "error EthTransferFailed(address recipient, uint256 amount)",
  "error GameNotFound(uint256 gameId, uint256 gameCount)",
  "error HeaderMismatch(uint256 batchIndex, bytes32 commitment, bytes32 expected)",
  "error ChallengeWindowClosed(uint256 batchIndex, uint256 finalizableAt)",
  "error UnexpectedGameStatus(uint256 gameId, uint8 status, uint8 expected)",
  "error CallerNotChallenger(uint256 gameId, address caller, address challenger)",
  "error ClockExpired(uint256 gameId, uint256 elapsed, uint256 remaining)",
  "error ClockNotExpired(uint256 gameId, uint256 elapsed, uint256 remaining)",
  "error StepProofLengthMismatch(uint256 length, uint256 expected)",
  "error StepLeafNotInRoot(uint256 index, bytes32 leaf, bytes32 stepsRoot)",
  "error StartStateRootMismatch(uint256 stateRoot, uint256 preStateRoot)",
  "error StartWithdrawalsRootNotEmpty(uint256 withdrawalsRoot, uint256 emptyRoot)",
  "error StartFeeTotalNotZero(uint256 slot, uint256 total)",
  "error EndStateRootMismatch(uint256 stateRoot, uint256 postStateRoot)",
  "error EndWithdrawalsRootMismatch(uint256 withdrawalsRoot, uint256 expected)",
  "error PayloadMismatch(bytes32 dataHash, bytes32 expected)",
  "error PreStateMismatch(bytes32 stepHash, bytes32 expected)",
  "error GameBatchInvalidated(uint256 gameId, uint256 batchIndex)",
  "error GameBatchNotInvalidated(uint256 gameId, uint256 batchIndex)",
  "error NoCredit(address account)",
  "error UnexpectedEthSender(address sender)",
  "error GameAlreadyEnded(uint256 gameId, uint8 status)",
]);

/** ABI of the OneStepProver: re-executes one step of a batch (contracts/dispute/IOneStepProver.sol). */
export const oneStepProverAbi = parseAbi([
  machineStateStruct,
  "struct StepContext { uint256 levels; uint256 domain; uint64 queueStart; uint64 queueEnd; address feeRecipient; uint32[4] feeTokens; }",
  "function proveStep(StepContext ctx, bytes payload, uint256 step, MachineState pre, bytes proof) view returns (bytes32 postStepHash)",
]);

/** The ERC20 calls the client needs (and TestERC20's mint). */
export const erc20Abi = parseAbi([
  "function balanceOf(address owner) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function mint(address to, uint256 amount)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
]);
